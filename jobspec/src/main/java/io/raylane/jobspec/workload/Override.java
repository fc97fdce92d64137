package io.raylane.jobspec.workload;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Hydra override of a JobSpec's {@code overrides}: {@code key=value},
 * {@code +key=value} (append a key the config lacks) or {@code ++key=value} (add or
 * override). Deletions ({@code ~key}) and sweeps are not accepted. A key part is what
 * Hydra's grammar reads as one: letters, digits, {@code _}, and {@code -} after the first
 * character (verl has a few, e.g. nsys's {@code capture-range}).
 *
 * @param prefix {@code ""}, {@code "+"} or {@code "++"}
 * @param key the dotted key
 * @param value the value, verbatim (Hydra grammar; the whole override is shell-quoted)
 */
public record Override(String prefix, String key, String value) {

	private static final Pattern FORM = Pattern
		.compile("(\\+{0,2})([A-Za-z_][A-Za-z0-9_-]*(?:\\.[A-Za-z_][A-Za-z0-9_-]*)*)=(.*)");

	/** The override, or empty when {@code text} is not {@code key=value} on one line. */
	public static Optional<Override> parse(String text) {
		if (text == null || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\0') >= 0) {
			return Optional.empty();
		}
		Matcher m = FORM.matcher(text.strip());
		return m.matches() ? Optional.of(new Override(m.group(1), m.group(2), m.group(3))) : Optional.empty();
	}

	public String text() {
		return this.prefix + this.key + "=" + this.value;
	}

}
