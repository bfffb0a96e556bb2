<?php
// A job of type "book", run by `steadfast work --exec book="php book.php"`: one short process per job.
// The payload's JSON arrives on stdin, the job's facts in STEADFAST_JOB_*; the database connection is this
// process's own, opened now and gone when it exits: nothing is kept open for days, so nothing goes away under it.
// Exit 0: done. Anything else: the attempt failed (its stderr goes to the failed-job log) and Steadfast retries it.

$payload = json_decode(stream_get_contents(STDIN), true, 32, JSON_THROW_ON_ERROR);
$jobId = (int) getenv('STEADFAST_JOB_ID');

$db = new PDO(getenv('APP_DB_DSN'), getenv('APP_DB_USER'), getenv('APP_DB_PASSWORD'),
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION, PDO::ATTR_TIMEOUT => 10]);
// the order is the key: a retry after a lost connection, or a second job for the same order, writes nothing twice
$insert = $db->prepare('INSERT INTO php_ledger (order_id, job_id, amount, attempt) VALUES (?, ?, ?, ?)'
    . ' ON DUPLICATE KEY UPDATE order_id = order_id');
$insert->execute([(int) $payload['order_id'], $jobId, (int) $payload['amount'], (int) getenv('STEADFAST_JOB_ATTEMPT')]);
fwrite(STDOUT, "booked order {$payload['order_id']} for job $jobId\n");
