package io.raylane.topics.job;

/**
 * One thing wrong with a JobSpec: the field (dotted path, snake_case) and what is wrong
 * with it.
 */
public record FieldError(String field, String message) {
}
