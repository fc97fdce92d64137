package io.raylane.deploy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One service's application context and the properties it runs with. The properties go in
 * as command-line arguments, not builder properties: builder properties are only defaults
 * and would lose to the service's yaml.
 */
final class LocalService implements AutoCloseable {

	private final Supplier<SpringApplicationBuilder> builder;

	private final Map<String, Object> properties;

	private ConfigurableApplicationContext context;

	private int port;

	LocalService(Supplier<SpringApplicationBuilder> builder, Map<String, Object> properties) {
		this.builder = builder;
		this.properties = new LinkedHashMap<>(properties);
	}

	synchronized void run() {
		run((event) -> {
		});
	}

	/**
	 * @param starting told each of this start's application events (e.g. the context
	 * prepared, by when Spring Boot has configured logging)
	 */
	synchronized void run(ApplicationListener<ApplicationEvent> starting) {
		String[] args = this.properties.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		SpringApplicationBuilder application = this.builder.get();
		// its start-up lines name the service's class: Spring Boot looks for a main
		// method on the stack, and a service started on its own thread has none
		application.application()
			.getAllSources()
			.stream()
			.filter(Class.class::isInstance)
			.findFirst()
			.ifPresent((source) -> application.main((Class<?>) source));
		this.context = application.registerShutdownHook(false).listeners(starting).run(args);
		this.port = (this.context instanceof WebServerApplicationContext web) ? web.getWebServer().getPort() : -1;
	}

	synchronized void restart() {
		close();
		// the same port, so that a scraper keeps finding it (a free port "0" would move)
		if (this.port > 0) {
			this.properties.put("server.port", this.port);
		}
		run();
	}

	synchronized int port() {
		return this.port;
	}

	@Override
	public synchronized void close() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

}
