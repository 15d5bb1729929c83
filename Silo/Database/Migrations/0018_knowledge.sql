-- 0018_knowledge.sql
--
-- Knowledge. Each bot's documents (menus, price lists, hours, FAQs, policies) live here under the bot's id, the
-- original bytes and the extracted text: the source of truth that backups carry and from which any index is rebuilt.
--
-- knowledge_documents. One row per document. status is processing until the document is indexed upstream (its file
-- in the bot's OpenAI vector store completed), then ready, or failed with the reason. A deleted document keeps its
-- row, with deleted_at, until its file is gone from the store and from OpenAI, then the row goes. The ingestion sweep
-- finds what is due by next_attempt_at (processing documents and deletions), so a crash resumes the work.
--
-- knowledge_chunks. The extracted text in pieces with a tsvector in the bot's knowledge_language and a GIN index:
-- what Chat Completions bots search with PostgreSQL full-text search (stock PostgreSQL, no extension).
--
-- knowledge_stores. The bot's OpenAI vector store (one per bot, made with its first document), its usage_bytes as
-- last read, and whether it was found gone upstream (lost, with the reason, until a reindex rebuilds it).
--
-- bots.vector_store_ids are stores the bot also searches (a migrated Assistant's), set by the admin key only and never
-- an id another bot uses. bots.knowledge_language is the text search configuration of its documents.
--
-- messages.knowledge_sources is the documents an answer used (titles and ids, for operators), and
-- messages.knowledge_searches how many searches its turn made, file_searches how many of them were OpenAI hosted
-- file_search calls, which are priced (the usage report counts both per day).
-- Comments avoid quote, semicolon, colon, at and dollar characters (see 0001).

alter table bots add column if not exists knowledge_language text not null default 'simple';
alter table bots add column if not exists vector_store_ids text[] not null default '{}';

create table if not exists knowledge_documents (
    id text primary key,
    bot_id text not null,
    title text not null,
    file_name text,
    content_type text not null,
    bytes integer not null,
    content bytea not null,
    text text not null,
    status text not null default 'processing' check (status in ('processing', 'ready', 'failed')),
    error text,
    openai_file_id text,
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    created_at timestamptz not null,
    updated_at timestamptz not null,
    deleted_at timestamptz
);

create index if not exists knowledge_documents_bot on knowledge_documents (bot_id, created_at desc) where deleted_at is null;
create index if not exists knowledge_documents_due on knowledge_documents (next_attempt_at)
    where status = 'processing' or deleted_at is not null;

create table if not exists knowledge_chunks (
    document_id text not null references knowledge_documents (id) on delete cascade,
    bot_id text not null,
    ordinal integer not null,
    text text not null,
    search tsvector not null,
    primary key (document_id, ordinal)
);

create index if not exists knowledge_chunks_search on knowledge_chunks using gin (search);
create index if not exists knowledge_chunks_bot on knowledge_chunks (bot_id);

create table if not exists knowledge_stores (
    bot_id text primary key,
    vector_store_id text,
    usage_bytes bigint not null default 0,
    lost_at timestamptz,
    error text,
    updated_at timestamptz not null default now()
);

alter table messages add column if not exists knowledge_sources jsonb;
alter table messages add column if not exists knowledge_searches integer;
alter table messages add column if not exists file_searches integer;
alter table usage_erased add column if not exists knowledge_searches integer not null default 0;
alter table usage_erased add column if not exists file_searches integer not null default 0;
