-- 0001_orleans.sql
--
-- Schema for the Orleans 10.4.2 ADO.NET providers on PostgreSQL 15+
-- (clustering with the client gateway list, grain storage, reminders).
-- Written for this project from the documented contract of the Orleans ADO.NET providers.
--
-- The providers only know the lookup table orleansquery(querykey, querytext)
-- and run each querytext verbatim as one Npgsql command with named parameters.
-- All other names in this file belong to this project.
--
-- Safe to re-run (IF NOT EXISTS, CREATE OR REPLACE, upserts on querykey).
-- No psql meta-commands. Comments avoid quote, semicolon, colon, at and dollar
-- characters so that no SQL splitter or parameter parser can misread them.

-- ---------------------------------------------------------------------------
-- Lookup table read by all three providers
-- ---------------------------------------------------------------------------

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pk PRIMARY KEY (querykey)
);

-- ---------------------------------------------------------------------------
-- Clustering (silo membership and client gateway list)
-- ---------------------------------------------------------------------------

-- One row per cluster (DeploymentId is ClusterOptions.ClusterId).
-- version is the membership table version (non-negative int32), bumped by
-- every successful insert or update of a member.
CREATE TABLE IF NOT EXISTS orleans_cluster_version
(
    deploymentid text        NOT NULL,
    version      integer     NOT NULL DEFAULT 0,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_cluster_version_pk PRIMARY KEY (deploymentid),
    CONSTRAINT orleans_cluster_version_nonneg CHECK (version >= 0)
);

-- One row per silo incarnation (address, port, generation).
-- status values come from Orleans SiloStatus (3 = Active, 6 = Dead).
-- suspecttimes is the provider serialized vote list, stored verbatim.
CREATE TABLE IF NOT EXISTS orleans_cluster_member
(
    deploymentid text        NOT NULL,
    address      text        NOT NULL,
    port         integer     NOT NULL,
    generation   integer     NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       integer     NOT NULL,
    proxyport    integer     NOT NULL DEFAULT 0,
    suspecttimes text        NULL,
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    CONSTRAINT orleans_cluster_member_pk PRIMARY KEY (deploymentid, address, port, generation),
    CONSTRAINT orleans_cluster_member_version_fk FOREIGN KEY (deploymentid)
        REFERENCES orleans_cluster_version (deploymentid)
);

-- InsertMembershipKey. Atomically inserts a new member and bumps the cluster
-- version, but only when the stored version still equals p_version and the
-- member key is new. Returns 1 when both happened, otherwise 0 with nothing
-- changed. The version row lock serialises concurrent membership writers.
CREATE OR REPLACE FUNCTION orleans_cluster_insert_member(
    p_deploymentid text,
    p_address      text,
    p_port         integer,
    p_generation   integer,
    p_siloname     text,
    p_hostname     text,
    p_status       integer,
    p_proxyport    integer,
    p_starttime    timestamptz,
    p_iamalivetime timestamptz,
    p_version      integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    current_version integer;
    affected        integer;
BEGIN
    SELECT v.version INTO current_version
    FROM orleans_cluster_version AS v
    WHERE v.deploymentid = p_deploymentid
    FOR UPDATE;

    IF NOT FOUND OR p_version IS NULL OR current_version <> p_version THEN
        RETURN 0;
    END IF;

    INSERT INTO orleans_cluster_member
        (deploymentid, address, port, generation, siloname, hostname,
         status, proxyport, suspecttimes, starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname,
         p_status, coalesce(p_proxyport, 0), NULL, p_starttime, p_iamalivetime)
    ON CONFLICT ON CONSTRAINT orleans_cluster_member_pk DO NOTHING;

    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN 0;
    END IF;

    UPDATE orleans_cluster_version
    SET version = version + 1,
        updated_at = now()
    WHERE deploymentid = p_deploymentid;

    RETURN 1;
END;
$fn$;

-- UpdateMembershipKey. Atomically updates status, suspect times and
-- heartbeat of an existing member and bumps the cluster version, but only
-- when the stored version still equals p_version. Returns 1 on success,
-- otherwise 0 with nothing changed (stale version or unknown member).
CREATE OR REPLACE FUNCTION orleans_cluster_update_member(
    p_deploymentid text,
    p_address      text,
    p_port         integer,
    p_generation   integer,
    p_status       integer,
    p_suspecttimes text,
    p_iamalivetime timestamptz,
    p_version      integer)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    current_version integer;
    affected        integer;
BEGIN
    SELECT v.version INTO current_version
    FROM orleans_cluster_version AS v
    WHERE v.deploymentid = p_deploymentid
    FOR UPDATE;

    IF NOT FOUND OR p_version IS NULL OR current_version <> p_version THEN
        RETURN 0;
    END IF;

    UPDATE orleans_cluster_member
    SET status = p_status,
        suspecttimes = p_suspecttimes,
        iamalivetime = p_iamalivetime
    WHERE deploymentid = p_deploymentid
      AND address = p_address
      AND port = p_port
      AND generation = p_generation;

    GET DIAGNOSTICS affected = ROW_COUNT;
    IF affected = 0 THEN
        RETURN 0;
    END IF;

    UPDATE orleans_cluster_version
    SET version = version + 1,
        updated_at = now()
    WHERE deploymentid = p_deploymentid;

    RETURN 1;
END;
$fn$;

-- ---------------------------------------------------------------------------
-- Grain storage
-- ---------------------------------------------------------------------------

-- Natural key is (serviceid, graintypestring, grainidn0, grainidn1,
-- grainidextensionstring) with NULL extension equal to NULL extension.
-- The hashes are not unique and only serve the lookup index.
-- version is the ETag, 1 on first write, plus 1 on every write or clear.
-- A cleared state keeps its row with a NULL payload.
CREATE TABLE IF NOT EXISTS orleans_grain_state
(
    serviceid              text        NOT NULL,
    graintypestring        text        NOT NULL,
    graintypehash          integer     NOT NULL,
    grainidhash            integer     NOT NULL,
    grainidn0              bigint      NOT NULL,
    grainidn1              bigint      NOT NULL,
    grainidextensionstring text        NULL,
    payloadbinary          bytea       NULL,
    version                integer     NOT NULL,
    modifiedon             timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX IF NOT EXISTS orleans_grain_state_natural_key_ux
    ON orleans_grain_state (serviceid, grainidn0, grainidn1, graintypestring, grainidextensionstring)
    NULLS NOT DISTINCT;

CREATE INDEX IF NOT EXISTS orleans_grain_state_hash_ix
    ON orleans_grain_state (grainidhash, graintypehash);

-- ---------------------------------------------------------------------------
-- Reminders
-- ---------------------------------------------------------------------------

-- grainhash is the uint ring hash stored as signed int32, compared signed.
-- version is 0 on insert and plus 1 on every overwrite.
CREATE TABLE IF NOT EXISTS orleans_reminder
(
    serviceid    text        NOT NULL,
    grainid      text        NOT NULL,
    remindername text        NOT NULL,
    starttime    timestamptz NOT NULL,
    period       bigint      NOT NULL,
    grainhash    integer     NOT NULL,
    version      integer     NOT NULL DEFAULT 0,
    CONSTRAINT orleans_reminder_pk PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE INDEX IF NOT EXISTS orleans_reminder_hash_ix
    ON orleans_reminder (serviceid, grainhash);

-- ---------------------------------------------------------------------------
-- Query texts
-- ---------------------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Clustering ----------------------------------------------------------------

('InsertMembershipVersionKey', $q$
WITH created AS (
    INSERT INTO orleans_cluster_version (deploymentid, version, updated_at)
    VALUES (@DeploymentId, 0, now())
    ON CONFLICT (deploymentid) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS created FROM created
$q$),

('MembershipReadAllKey', $q$
SELECT
    v.deploymentid,
    m.address,
    m.port,
    m.generation,
    m.siloname,
    m.hostname,
    m.status,
    m.proxyport,
    m.suspecttimes,
    m.starttime,
    m.iamalivetime,
    v.version
FROM orleans_cluster_version AS v
LEFT JOIN orleans_cluster_member AS m
    ON m.deploymentid = v.deploymentid
WHERE v.deploymentid = @DeploymentId
$q$),

('MembershipReadRowKey', $q$
SELECT
    v.deploymentid,
    m.address,
    m.port,
    m.generation,
    m.siloname,
    m.hostname,
    m.status,
    m.proxyport,
    m.suspecttimes,
    m.starttime,
    m.iamalivetime,
    v.version
FROM orleans_cluster_version AS v
LEFT JOIN orleans_cluster_member AS m
    ON  m.deploymentid = v.deploymentid
    AND m.address = @Address
    AND m.port = @Port
    AND m.generation = @Generation
WHERE v.deploymentid = @DeploymentId
$q$),

('InsertMembershipKey', $q$
SELECT orleans_cluster_insert_member(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
    @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version) AS inserted
$q$),

('UpdateMembershipKey', $q$
SELECT orleans_cluster_update_member(
    @DeploymentId, @Address, @Port, @Generation,
    @Status, @SuspectTimes, @IAmAliveTime, @Version) AS updated
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_cluster_member
SET iamalivetime = @IAmAliveTime
WHERE deploymentid = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
$q$),

('DeleteMembershipTableEntriesKey', $q$
WITH members AS (
    DELETE FROM orleans_cluster_member
    WHERE deploymentid = @DeploymentId
)
DELETE FROM orleans_cluster_version
WHERE deploymentid = @DeploymentId
$q$),

('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_cluster_member
WHERE deploymentid = @DeploymentId
  AND iamalivetime < @IAmAliveTime
  AND status <> 3
$q$),

('CleanupDefunctSiloEntryKey', $q$
DELETE FROM orleans_cluster_member
WHERE deploymentid = @DeploymentId
  AND address = @Address
  AND port = @Port
  AND generation = @Generation
  AND status = 6
  AND starttime = @StartTime
  AND iamalivetime = @IAmAliveTime
  AND coalesce(suspecttimes, '') = coalesce(@SuspectTimes::text, '')
$q$),

('GatewaysQueryKey', $q$
SELECT address, proxyport, generation
FROM orleans_cluster_member
WHERE deploymentid = @DeploymentId
  AND status = @Status
  AND proxyport > 0
$q$),

-- Grain storage -------------------------------------------------------------

('ReadFromStorageKey', $q$
SELECT payloadbinary, version
FROM orleans_grain_state
WHERE grainidhash = @GrainIdHash::integer
  AND graintypehash = @GrainTypeHash::integer
  AND serviceid = @ServiceId::text
  AND graintypestring = @GrainTypeString::text
  AND grainidn0 = @GrainIdN0::bigint
  AND grainidn1 = @GrainIdN1::bigint
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::text
$q$),

('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_grain_state
    SET payloadbinary = @PayloadBinary::bytea,
        version = version + 1,
        modifiedon = now()
    WHERE @GrainStateVersion::integer IS NOT NULL
      AND grainidhash = @GrainIdHash::integer
      AND graintypehash = @GrainTypeHash::integer
      AND serviceid = @ServiceId::text
      AND graintypestring = @GrainTypeString::text
      AND grainidn0 = @GrainIdN0::bigint
      AND grainidn1 = @GrainIdN1::bigint
      AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::text
      AND version = @GrainStateVersion::integer
    RETURNING version
), inserted AS (
    INSERT INTO orleans_grain_state
        (serviceid, graintypestring, graintypehash, grainidhash, grainidn0, grainidn1,
         grainidextensionstring, payloadbinary, version, modifiedon)
    SELECT @ServiceId::text, @GrainTypeString::text, @GrainTypeHash::integer, @GrainIdHash::integer,
           @GrainIdN0::bigint, @GrainIdN1::bigint, @GrainIdExtensionString::text,
           @PayloadBinary::bytea, 1, now()
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS newgrainstateversion FROM updated
UNION ALL
SELECT version AS newgrainstateversion FROM inserted
$q$),

('ClearStorageKey', $q$
UPDATE orleans_grain_state
SET payloadbinary = NULL,
    version = version + 1,
    modifiedon = now()
WHERE grainidhash = @GrainIdHash::integer
  AND graintypehash = @GrainTypeHash::integer
  AND serviceid = @ServiceId::text
  AND graintypestring = @GrainTypeString::text
  AND grainidn0 = @GrainIdN0::bigint
  AND grainidn1 = @GrainIdN1::bigint
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::text
  AND version = @GrainStateVersion::integer
RETURNING version AS newgrainstateversion
$q$),

('DeleteStorageKey', $q$
DELETE FROM orleans_grain_state
WHERE grainidhash = @GrainIdHash::integer
  AND graintypehash = @GrainTypeHash::integer
  AND serviceid = @ServiceId::text
  AND graintypestring = @GrainTypeString::text
  AND grainidn0 = @GrainIdN0::bigint
  AND grainidn1 = @GrainIdN1::bigint
  AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString::text
  AND version = @GrainStateVersion::integer
RETURNING version + 1 AS newgrainstateversion
$q$),

-- Reminders -----------------------------------------------------------------

('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminder AS r
    (serviceid, grainid, remindername, starttime, period, grainhash, version)
VALUES
    (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
SET starttime = excluded.starttime,
    period    = excluded.period,
    grainhash = excluded.grainhash,
    version   = r.version + 1
RETURNING r.version AS version
$q$),

('ReadReminderRowKey', $q$
SELECT grainid, remindername, starttime, period, version, grainhash
FROM orleans_reminder
WHERE serviceid = @ServiceId
  AND grainid = @GrainId
  AND remindername = @ReminderName
$q$),

('ReadReminderRowsKey', $q$
SELECT grainid, remindername, starttime, period, version, grainhash
FROM orleans_reminder
WHERE serviceid = @ServiceId
  AND grainid = @GrainId
$q$),

('ReadRangeRows1Key', $q$
SELECT grainid, remindername, starttime, period, version, grainhash
FROM orleans_reminder
WHERE serviceid = @ServiceId
  AND grainhash > @BeginHash
  AND grainhash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
SELECT grainid, remindername, starttime, period, version, grainhash
FROM orleans_reminder
WHERE serviceid = @ServiceId
  AND (grainhash > @BeginHash OR grainhash <= @EndHash)
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminder
    WHERE serviceid = @ServiceId
      AND grainid = @GrainId
      AND remindername = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT count(*)::integer AS deleted FROM deleted
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminder
WHERE serviceid = @ServiceId
$q$)

ON CONFLICT (querykey) DO UPDATE
SET querytext = excluded.querytext;
