package io.raylane.topics.json;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.deser.ValueInstantiators;
import tools.jackson.databind.deser.std.StdValueInstantiator;
import tools.jackson.databind.introspect.AnnotatedConstructor;
import tools.jackson.databind.module.SimpleModule;

/**
 * Calls the constructor of a record (or any class read through a constructor with
 * properties) by plain reflection instead of Jackson 3.1's
 * {@code MethodHandle.invokeWithArguments}, which builds a spreader for every call (issue
 * 17 goal 4: on the scheduler's hot path that was a third of decoding a job row, and a
 * row read in the middle of an event took several times what it takes alone, because the
 * handle is not a constant the JIT can inline). {@code Constructor.newInstance} spreads
 * through a handle it builds once.
 * <p>
 * Nothing else changes: the same constructor, the same arguments, and a constructor that
 * throws is reported as Jackson reports it (the same {@code rewrapCtorProblem} and
 * {@code handleInstantiationProblem}). Only Jackson's own standard instantiator over a
 * constructor is replaced; factory methods, delegating creators and custom instantiators
 * stay as they are.
 */
final class ReflectiveCreators extends SimpleModule {

	ReflectiveCreators() {
		super("raylane-reflective-creators");
	}

	@Override
	public void setupModule(SetupContext context) {
		super.setupModule(context);
		context.addValueInstantiators(new ValueInstantiators.Base() {

			@Override
			public ValueInstantiator modifyValueInstantiator(DeserializationConfig config,
					BeanDescription.Supplier beanDescRef, ValueInstantiator defaultInstantiator) {
				return replace(defaultInstantiator);
			}

		});
	}

	/** The reflective instantiator for Jackson's standard one over a constructor. */
	static ValueInstantiator replace(ValueInstantiator instantiator) {
		if (instantiator == null || instantiator.getClass() != StdValueInstantiator.class) {
			return instantiator;
		}
		StdValueInstantiator standard = (StdValueInstantiator) instantiator;
		if (!(standard.getWithArgsCreator() instanceof AnnotatedConstructor creator)) {
			return instantiator;
		}
		Constructor<?> constructor = creator.getAnnotated();
		try {
			constructor.setAccessible(true);
		}
		catch (RuntimeException ex) {
			// not ours to open (a module that does not open the package): Jackson's way
			// still works
			return instantiator;
		}
		return new Reflective(standard, constructor);
	}

	/** Jackson's standard instantiator, but for how it calls the constructor. */
	static final class Reflective extends StdValueInstantiator {

		private final Constructor<?> constructor;

		Reflective(StdValueInstantiator source, Constructor<?> constructor) {
			super(source);
			this.constructor = constructor;
		}

		@Override
		public Object createFromObjectWith(DeserializationContext ctxt, Object[] args) throws JacksonException {
			try {
				return this.constructor.newInstance(args);
			}
			catch (InvocationTargetException ex) {
				// what the constructor threw, as Jackson's own call passes it on
				Throwable thrown = ex.getCause();
				if (thrown instanceof Error error) {
					throw error;
				}
				return ctxt.handleInstantiationProblem(this._valueClass, args, rewrapCtorProblem(ctxt, thrown));
			}
			catch (ReflectiveOperationException | IllegalArgumentException ex) {
				return ctxt.handleInstantiationProblem(this._valueClass, args, rewrapCtorProblem(ctxt, ex));
			}
		}

	}

}
