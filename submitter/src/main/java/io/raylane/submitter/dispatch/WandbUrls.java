package io.raylane.submitter.dispatch;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Redacts the secrets a W&amp;B base URL may carry, so the URL can be recorded: the user
 * info ({@code https://user:token@host} → {@code https://***@host}) and the values of
 * query parameters whose names look secret ({@code ?api_key=…}, {@code token},
 * {@code secret}, {@code password}, {@code signature}, …). Everything else stays as
 * configured, character for character. Pure.
 */
final class WandbUrls {

	static final String MASK = "***";

	/**
	 * scheme://userinfo@ — userinfo is whatever precedes an '@' before the path, query or
	 * fragment.
	 */
	private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@");

	/** One query (or fragment) parameter: separator, name, '=', value. */
	private static final Pattern PARAMETER = Pattern.compile("([?&;#])([^=&;#]*)=([^&;#]*)");

	private static final Pattern SECRET_NAME = Pattern
		.compile("key|token|secret|pass|pwd|auth|sig|credential|session|cookie");

	private WandbUrls() {
	}

	static String redact(String url) {
		if (url == null) {
			return null;
		}
		String clean = USER_INFO.matcher(url).replaceFirst("$1" + Matcher.quoteReplacement(MASK) + "@");
		Matcher parameter = PARAMETER.matcher(clean);
		StringBuilder out = new StringBuilder();
		while (parameter.find()) {
			String name = parameter.group(2);
			String value = SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).find() ? MASK : parameter.group(3);
			parameter.appendReplacement(out, Matcher.quoteReplacement(parameter.group(1) + name + "=" + value));
		}
		parameter.appendTail(out);
		return out.toString();
	}

}
