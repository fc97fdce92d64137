package io.raylane.cli.render;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table: columns padded to their widest cell, two spaces apart, no trailing
 * blanks (so it reads in a terminal and greps well). An empty or null cell shows as
 * {@code -}.
 */
public final class Table {

	private Table() {
	}

	public static String render(List<String> headers, List<List<String>> rows) {
		int columns = headers.size();
		int[] widths = new int[columns];
		List<List<String>> all = new ArrayList<>();
		all.add(headers);
		for (List<String> row : rows) {
			all.add(row.stream().map(Table::cell).toList());
		}
		for (List<String> row : all) {
			for (int i = 0; i < columns; i++) {
				widths[i] = Math.max(widths[i], row.get(i).length());
			}
		}
		StringBuilder text = new StringBuilder();
		for (List<String> row : all) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < columns; i++) {
				line.append(row.get(i));
				if (i < columns - 1) {
					line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
				}
			}
			text.append(line.toString().stripTrailing()).append('\n');
		}
		return text.toString();
	}

	private static String cell(String value) {
		return (value == null || value.isBlank()) ? "-" : value.replaceAll("\\s*[\\r\\n]+\\s*", " ");
	}

}
