-- One message, one trace across time: the W3C traceparent of the span that wrote a row. An inbound message keeps its
-- webhook's, so that the turn answering it (later, on any silo, after a crash) continues that trace; a reply part
-- keeps its turn's, then its send's once recorded, so that a retried send stays in the trace and a status callback
-- links to the send it settles. Null where nothing was traced. Never read by any rule of the product.
alter table messages add column if not exists traceparent text;
