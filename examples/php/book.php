<?php
// A job of type "book", run by `steadfast work --exec book="php book.php"`: one short process per job.
// The payload's JSON arrives on stdin, the job's facts in STEADFAST_JOB_*; the database connection is this
// process's own, opened now and gone when it exits: nothing is kept open for days, so nothing goes away under it.
// Exit 0: done. Anything else: the attempt failed (its stderr goes to the failed-job log) and Steadfast retries it.

$payload = json_decode(stream_get_contents(STDIN), true, 32, JSON_THROW_ON_ERROR);
$jobId = (int) getenv('STEADFAST_JOB_ID');

$db = new PDO(getenv('APP_DB_DSN'), getenv('APP_DB_USER'), getenv('APP_DB_PASSWORD'),
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 10]);
// the job's id is the key: a retry after a lost connection finds its row and writes nothing twice
$insert = $db->prepare('INSERT INTO php_ledger (job_id, order_id, amount, attempt) VALUES (?, ?, ?, ?)'
    . ' ON DUPLICATE KEY UPDATE job_id = job_id');
$insert->execute([$jobId, (int) $payload['order_id'], (int) $payload['amount'], (int) getenv('STEADFAST_JOB_ATTEMPT')]);
fwrite(STDOUT, "booked order {$payload['order_id']} for job $jobId\n");
