package io.raylane.submitter.dispatch;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** What of a W&amp;B base URL may be recorded. */
class WandbUrlsTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					a plain URL stays             | https://wandb.example.com             | https://wandb.example.com
					a port and path stay          | http://127.10.0.5:8080/wandb/           | http://127.10.0.5:8080/wandb/
					user and token are masked     | https://ana:t0ken@wandb.example/x     | https://***@wandb.example/x
					a bare token is masked        | https://t0ken@wandb.example           | https://***@wandb.example
					an api_key query is masked    | https://w.example/?api_key=s3&team=a  | https://w.example/?api_key=***&team=a
					token and sig are masked      | https://w.example?x=1&Token=s3;sig=s4 | https://w.example?x=1&Token=***;sig=***
					both at once                  | https://u:p@w.example/?password=s3    | https://***@w.example/?password=***
					an @ in the path is not user  | https://w.example/a@b                 | https://w.example/a@b
					""")
	void redact(String scenario, String url, String want) {
		assertThat(WandbUrls.redact(url)).isEqualTo(want);
	}

}
