package io.raylane.observer.accounting;

/**
 * Where a job's accounting stands: the index of the next interval to write and whether
 * the final record is written (then nothing more is ever written for the job).
 */
public record LedgerPosition(long nextIndex, boolean finalWritten) {

	public static final LedgerPosition START = new LedgerPosition(0, false);

	/** The position after a record of interval {@code index} was committed. */
	public LedgerPosition after(long index, boolean isFinal) {
		return new LedgerPosition(Math.max(this.nextIndex, index + 1), this.finalWritten || isFinal);
	}

}
