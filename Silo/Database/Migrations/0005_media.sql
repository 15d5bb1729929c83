-- 0005_media.sql
--
-- Media that end users send (voice notes, images, documents) is fetched from Twilio by the conversation turn that
-- answers it. The inbound row keeps the content type Twilio gave each media item beside its URL, and what the
-- platform read from it (a voice note transcript, or why an item could not be read) for the transcript, and what
-- transcribing it cost (the audio length, and the tokens where the model bills by tokens) for the usage report.
-- Bots may choose their transcription model and the answer given when a file cannot be read.
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table messages add column if not exists media_types text[] not null default '{}';
alter table messages add column if not exists media_text text;
alter table messages add column if not exists transcribed_seconds real;
alter table messages add column if not exists transcription_tokens integer;

alter table bots add column if not exists transcription_model text;
alter table bots add column if not exists unreadable_media_message text;
