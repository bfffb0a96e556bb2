<?php
// Enqueues "book" jobs over Steadfast's HTTP API, as a web request of a PHP application would:
//   STEADFAST_API=http://127.0.0.1:8080 STEADFAST_API_TOKEN=... php enqueue.php ORDER_ID AMOUNT
// It prints the job's id. Needs no database connection and no Steadfast library: JSON over HTTP.

[$script, $orderId, $amount] = $argv + [null, null, null];
if ($orderId === null || $amount === null) {
    fwrite(STDERR, "usage: php enqueue.php ORDER_ID AMOUNT\n");
    exit(2);
}
$body = json_encode([
    'type' => 'book',
    'payload' => ['order_id' => (int) $orderId, 'amount' => (int) $amount],
    // while a job for the order waits or runs, enqueueing it again answers that job; once it is booked, the ledger's
    // key on the order keeps a later job for it from booking twice
    'unique_key' => "order-$orderId",
]);
$context = stream_context_create(['http' => [
    'method' => 'POST',
    'header' => "Content-Type: application/json\r\nAuthorization: Bearer " . getenv('STEADFAST_API_TOKEN') . "\r\n",
    'content' => $body,
    'ignore_errors' => true,
    'timeout' => 10,
]]);
$answer = file_get_contents(rtrim(getenv('STEADFAST_API'), '/') . '/api/jobs', false, $context);
$status = (int) explode(' ', $http_response_header[0] ?? 'HTTP/1.1 0')[1];
if ($status !== 201 && $status !== 200) {
    fwrite(STDERR, "enqueue failed: HTTP $status $answer\n");
    exit(1);
}
echo json_decode($answer, true)['id'], "\n";
