package io.raylane.cli.commands;

import io.raylane.cli.ExitCodes;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code raylane completion}: the bash completion script of the whole command tree. */
@Command(name = "completion",
		description = "Print a bash completion script: source <(bin/raylane completion), or save it to "
				+ "/etc/bash_completion.d/raylane.")
public class CompletionCommand implements java.util.concurrent.Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		this.spec.commandLine().getOut().print(AutoComplete.bash("raylane", this.spec.root().commandLine()));
		this.spec.commandLine().getOut().flush();
		return ExitCodes.OK;
	}

}
