package io.cloudwarden.functions.queue;

/**
 * One message from a work queue (an SQS record, a Storage Queue message, a Pub/Sub push message): its id as the
 * queue knows it, its body (a CloudEvent in structured JSON mode), and how many times it was delivered.
 */
public record WorkItem(String id, byte[] body, int deliveryCount) {
    public WorkItem {
        id = id == null ? "" : id;
        body = body == null ? new byte[0] : body;
    }
}
