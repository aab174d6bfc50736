"""What the project's background jobs (export jobs, import uploads) store when they did not run.

A job's `error` holds one of these codes when the job itself never failed: the broker could not
be reached to start it, or it stopped without a result (its worker died) and the sweeper gave up
on it. The pages say so in words and offer to try again.
"""

UNAVAILABLE = "achtergronddienst-onbereikbaar"
STALLED = "gestopt-zonder-resultaat"
RETRYABLE_ERRORS = (UNAVAILABLE, STALLED)

# A task is handed back when its worker dies (acks_late, reject_on_worker_lost). A job whose
# task was started this many times without finishing kills its worker (say, out of memory): it
# is failed with STALLED instead of being started again forever.
MAX_ATTEMPTS = 3
