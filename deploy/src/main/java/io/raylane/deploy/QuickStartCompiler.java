package io.raylane.deploy;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17 goal 5: the all-in-one's start leaves HotSpot's optimising compiler (C2) out.
 * Measured on 2 cores, the JIT compiler threads took 17 of the warm start's 37 CPU
 * seconds, most of it C2 optimising start-up code that runs a few times and never again,
 * on the same two cores the start itself needs. The README's command has no JVM options
 * ({@code -XX:TieredStopAtLevel=1} is not an option), so the launcher does it from
 * inside: a compiler directive (JEP 165, Compiler Control; what
 * {@code jcmd <pid> Compiler.directives_add} adds, here through the JVM's own
 * DiagnosticCommand MBean) excludes every method from C2 while the stack starts.
 * HotSpot's tiered policy then compiles with C1 alone a method C2 may not take (as
 * {@code TieredStopAtLevel=1} would). Once everything is up the directive is removed: the
 * methods that became hot in the start keep their C1 code, anything hot later gets C2 as
 * usual. The JVM's own options keep their say: without tiered compilation (C2 only) or
 * with C2 already off, nothing is done; a JVM without the MBean or the command is left as
 * it is.
 */
final class QuickStartCompiler implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(QuickStartCompiler.class);

	/** Every method: no C2 ("c2" block; Compiler Control's JSON-like format). */
	static final String DIRECTIVE = "[{ match: \"*.*\", c2: { Exclude: true } }]";

	private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

	/** The highest tier, C2's ({@code CompLevel_full_optimization}). */
	private static final int C2_TIER = 4;

	private final boolean added;

	/** What {@link #begin()} did, for {@link #report()}. */
	private final String outcome;

	private QuickStartCompiler(boolean added, String outcome) {
		this.added = added;
		this.outcome = outcome;
	}

	/**
	 * Whether to leave C2 out, given the JVM's {@code TieredCompilation} and
	 * {@code TieredStopAtLevel}: only when C1 runs in front of C2 (tiered) and C2 is on
	 * (level 4). Without tiered compilation C2 is the only compiler, and leaving it out
	 * would leave the code interpreted.
	 */
	static boolean applies(String tieredCompilation, String tieredStopAtLevel) {
		return "true".equals(tieredCompilation) && String.valueOf(C2_TIER).equals(tieredStopAtLevel);
	}

	/**
	 * Whether {@code Compiler.directives_add} answered that it added one ("1 compiler
	 * directives added"); a directive it could not parse is reported in its answer, not
	 * thrown.
	 */
	static boolean added(String answer) {
		return answer.matches("(?s)\\s*1 compiler directives added.*");
	}

	/**
	 * Adds the directive (when {@link #applies}); {@link #close()} removes it. Logs
	 * nothing: it runs first thing, before the all-in-one's logging is configured (see
	 * {@link #report()}).
	 */
	static QuickStartCompiler begin() {
		try {
			HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			if (!applies(value(hotspot, "TieredCompilation"), value(hotspot, "TieredStopAtLevel"))) {
				return new QuickStartCompiler(false, "not added: the JVM's options leave no C2 after C1");
			}
			return add();
		}
		catch (Exception | LinkageError ex) {
			return new QuickStartCompiler(false, "not added: " + ex);
		}
	}

	/** Adds the directive, whatever the JVM's options. */
	static QuickStartCompiler add() throws Exception {
		Path file = Files.createTempFile("raylane-start-directive", ".json");
		try {
			Files.writeString(file, DIRECTIVE);
			String result = command("compilerDirectivesAdd", file.toString());
			return new QuickStartCompiler(added(result), result);
		}
		finally {
			// read once, when added
			Files.deleteIfExists(file);
		}
	}

	/** Logs (debug) what {@link #begin()} did. */
	void report() {
		log.debug("C2 left out while starting (compiler directive): {}", this.outcome);
	}

	/** Removes the directive {@link #begin()} added (the last one added). */
	@Override
	public void close() {
		if (!this.added) {
			return;
		}
		try {
			log.debug("started: {}", command("compilerDirectivesRemove"));
		}
		catch (JMException ex) {
			log.warn("the start's compiler directive stays (C2 left out): {}", ex.toString());
		}
	}

	private static String value(HotSpotDiagnosticMXBean hotspot, String flag) {
		try {
			VMOption option = hotspot.getVMOption(flag);
			return option.getValue();
		}
		catch (IllegalArgumentException ex) {
			// not a flag of this JVM
			return "";
		}
	}

	static String command(String operation, String... arguments) throws JMException {
		MBeanServer server = ManagementFactory.getPlatformMBeanServer();
		Object result = server.invoke(new ObjectName(DIAGNOSTIC_COMMAND), operation, new Object[] { arguments },
				new String[] { String[].class.getName() });
		return String.valueOf(result).trim();
	}

}
