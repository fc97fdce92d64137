package io.raylane.nodeagent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.raylane.nodeagent.provision.NodeCommandHandler;
import io.raylane.nodeagent.provision.RayCommands;
import io.raylane.nodeagent.ssh.MinaRemoteShell;
import io.raylane.nodeagent.ssh.RemoteShell;
import io.raylane.nodeagent.ssh.SshSettings;
import io.raylane.nodeagent.ssh.TransientShellException;
import io.raylane.support.RaylaneSettings;
import io.raylane.support.kafka.DeadLetterPublisher;
import io.raylane.support.kafka.TopicsAtStartupConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;

/**
 * Wires the node agent: the MINA SSHD shell with its key, known_hosts policy and
 * timeouts, Ray's command lines, the retry policy for unreachable nodes, dead letters
 * through the transactional producer. Kafka's consumer/producer settings (bytes,
 * read_committed, transaction-id prefix) are in {@code raylane-node-agent.yaml}. The
 * clock, the common settings and the topics come from service-support.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(NodeAgentProperties.class)
@Import(TopicsAtStartupConfiguration.class)
class NodeAgentConfiguration {

	private static final Logger log = LoggerFactory.getLogger(NodeAgentConfiguration.class);

	static final String CONSUMER = "raylane-node-agent";

	static final int REDELIVERIES = 2;

	/**
	 * The acceptance names these settings by their environment variables; a property of
	 * the same name wins.
	 */
	@Bean
	SshSettings sshSettings(NodeAgentProperties properties,
			@Value("${raylane.ssh.key:${RAYLANE_SSH_KEY:${user.home}/.ssh/id_ed25519}}") Path key,
			@Value("${raylane.ssh.known-hosts:${RAYLANE_SSH_KNOWN_HOSTS:${user.home}/.ssh/known_hosts}}") Path knownHosts,
			@Value("${raylane.ssh.accept-new-host-keys:${RAYLANE_SSH_ACCEPT_NEW_HOST_KEYS:false}}") boolean acceptNew) {
		log.info("SSH: key {}, known_hosts {}, {} host key checking", key, knownHosts,
				acceptNew ? "accept-new" : "strict");
		return new SshSettings(key, properties.keyDirOrDefault(), knownHosts, acceptNew, properties.connectTimeout(),
				properties.authTimeout(), properties.commandTimeout(), properties.maxConcurrentCommands(),
				properties.tailLines());
	}

	@Bean(destroyMethod = "close")
	MinaRemoteShell remoteShell(SshSettings settings) {
		return new MinaRemoteShell(settings);
	}

	@Bean
	RayCommands rayCommands(NodeAgentProperties properties,
			@Value("${raylane.ray.head-address:${RAYLANE_RAY_HEAD_ADDRESS:}}") String headAddress,
			RaylaneSettings settings) {
		String head = RayCommands.headAddress(headAddress, settings.ray().address());
		int metricsPort = settings.ray().metricsPort();
		String token = settings.ray().resolvedAuthToken();
		log.info("ray start joins {}, metrics on port {}{}", head, metricsPort,
				(token != null) ? ", with the cluster's token (RAY_AUTH_MODE=token)" : "");
		return new RayCommands(properties.rayCommand(), head, properties.poolArgs(), metricsPort, token);
	}

	@Bean
	RetryTemplate sshRetryTemplate(NodeAgentProperties properties) {
		return properties.retry()
			.template(List.of(TransientShellException.class),
					(call, failure) -> log.warn("{} failed, retrying: {}", call, failure.getMessage()));
	}

	@Bean
	NodeCommandHandler nodeCommandHandler(RemoteShell shell, RayCommands rayCommands, RetryTemplate sshRetryTemplate,
			NodeAgentProperties properties, Clock clock) {
		return new NodeCommandHandler(shell, rayCommands, sshRetryTemplate, properties.stopGrace(), clock);
	}

	/**
	 * Dead letters go through the transactional template, so they commit with the
	 * consumed offsets.
	 */
	@Bean
	DeadLetterPublisher deadLetterPublisher(KafkaTemplate<String, byte[]> kafka, Clock clock) {
		return DeadLetterPublisher.sending(kafka, CONSUMER, clock);
	}

	/**
	 * A command whose handling throws (a readable record the handler cannot carry out) is
	 * tried {@link #REDELIVERIES} more times, then dead-lettered with the reason in the
	 * transaction that commits its offset; the listener goes on. Few redeliveries: each
	 * may run SSH commands with their own retries.
	 */
	@Bean
	DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(DeadLetterPublisher deadLetters,
			KafkaTemplate<String, byte[]> kafka) {
		return deadLetters.afterRollbacks(REDELIVERIES, Duration.ofSeconds(1), kafka);
	}

}
