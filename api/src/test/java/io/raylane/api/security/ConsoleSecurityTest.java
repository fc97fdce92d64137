package io.raylane.api.security;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.raylane.api.audit.AuditPublisher;
import io.raylane.support.ServiceSupportAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The web console's files are public and carry a strict Content-Security-Policy, while
 * {@code /v1/**} still needs a token (issue 15): the real security chain and Spring MVC's
 * static resource handling, without a broker (a controller of this test stands in for the
 * job list behind the chain).
 */
@WebMvcTest(controllers = ConsoleSecurityTest.JobsBehindTheChain.class,
		properties = "raylane.users.file=src/test/resources/users-test.yaml")
// the slice leaves security out unless spring-boot-security-test is there: the servlet
// security of the app, as is
@ImportAutoConfiguration({ ServiceSupportAutoConfiguration.class, SecurityAutoConfiguration.class,
		ServletWebSecurityAutoConfiguration.class, SecurityFilterAutoConfiguration.class })
@Import({ SecurityConfiguration.class, ConsoleSecurityTest.Beans.class, ConsoleSecurityTest.JobsBehindTheChain.class })
class ConsoleSecurityTest {

	@Autowired
	MockMvc mvc;

	@MockitoBean
	AuditPublisher audit;

	@Test
	void shouldServeTheSignInPageWithoutATokenUnderAStrictPolicy() throws Exception {
		this.mvc.perform(get("/").accept(MediaType.TEXT_HTML))
			.andExpect(status().isOk())
			.andExpect(forwardedUrl("index.html"))
			.andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
			.andExpect(header().string("Content-Security-Policy", containsString("default-src 'none'")));
		this.mvc.perform(get("/index.html"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
			.andExpect(content().string(containsString("id=\"sign-in-form\"")))
			.andExpect(content().string(containsString("src=\"/console/console.js\"")))
			.andExpect(header().string("Content-Security-Policy", SecurityConfiguration.CONTENT_SECURITY_POLICY));
	}

	@Test
	void shouldServeTheConsoleAssetsWithoutAToken() throws Exception {
		this.mvc.perform(get("/console/console.js"))
			.andExpect(status().isOk())
			.andExpect(content().string(containsString("Authorization")));
		this.mvc.perform(get("/console/console.css")).andExpect(status().isOk());
		this.mvc.perform(get("/console/favicon.svg")).andExpect(status().isOk());
	}

	@Test
	void shouldStillAskATokenForTheApi() throws Exception {
		this.mvc.perform(get("/v1/jobs")).andExpect(status().isUnauthorized());
		this.mvc.perform(get("/v1/jobs").header("Authorization", "Bearer not-a-token-of-anyone-at-all"))
			.andExpect(status().isUnauthorized());
		this.mvc.perform(get("/v1/jobs").header("Authorization", "Bearer alice-test-token-0123456789"))
			.andExpect(status().isOk())
			.andExpect(content().string("behind the chain"));
	}

	@Test
	void shouldNotOpenAnythingElseNextToTheConsole() throws Exception {
		this.mvc.perform(get("/console/../v1/jobs")).andExpect(status().is4xxClientError());
		this.mvc.perform(get("/other.html")).andExpect(status().isUnauthorized());
	}

	@RestController
	static class JobsBehindTheChain {

		@GetMapping("/v1/jobs")
		String jobs() {
			return "behind the chain";
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Beans {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
