namespace MeshMessenger.Gateway.Storage;

/// <summary>
/// The schema, as numbered steps. PRAGMA user_version holds the step a database has reached; opening it
/// runs the steps after that, each in its own transaction, so an old database is upgraded in place and a
/// crash mid-upgrade leaves it at the last whole step.
/// </summary>
public static class Migrations
{
    /// <summary>Every step, in order; step N brings the database to user_version N.</summary>
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: verified entries, each author's chain summary, known profiles, receipts, non-entry frames seen,
        //    and the persistent MQTT outbox.
        """
        CREATE TABLE entries (
            author INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            hint INTEGER NOT NULL,
            hash BLOB NOT NULL,
            bytes BLOB NOT NULL,
            source TEXT NOT NULL,
            received_at INTEGER NOT NULL,
            PRIMARY KEY (author, seq)
        ) WITHOUT ROWID;
        CREATE TABLE chains (
            author INTEGER PRIMARY KEY,
            low INTEGER NOT NULL,
            high INTEGER NOT NULL,
            head BLOB NOT NULL,
            last_heard INTEGER NOT NULL
        );
        CREATE TABLE contacts (
            author INTEGER PRIMARY KEY,
            signing_key BLOB NOT NULL,
            name TEXT NOT NULL
        );
        CREATE TABLE receipts (
            author INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            recipient_hint INTEGER NOT NULL,
            PRIMARY KEY (author, seq)
        ) WITHOUT ROWID;
        CREATE TABLE frames_seen (
            key BLOB PRIMARY KEY,
            first_seen INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            topic TEXT NOT NULL,
            payload BLOB NOT NULL,
            created INTEGER NOT NULL
        );
        """,

        // 2: store-and-forward looks entries up by recipient hint.
        """
        CREATE INDEX entries_by_hint ON entries (hint, received_at);
        """,

        // 3: how far each device has been served by store-and-forward.
        """
        CREATE TABLE deliveries (
            node INTEGER PRIMARY KEY,
            delivered_until INTEGER NOT NULL
        );
        """,

        // 4: held entries a device confirmed holding (its signed receipt, docs/protocol.md §5.4), beyond the
        //    contiguous prefix that deliveries.delivered_until covers.
        """
        CREATE TABLE handovers (
            node INTEGER NOT NULL,
            author INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (node, author, seq)
        ) WITHOUT ROWID;
        """,

        // 5: chain requests the gateway ran for nodes without internet (ChainRelay's journal): the raw transaction
        //    of a broadcast is kept until it is final, so a restart carries on and a re-delivered request is not re-run.
        """
        CREATE TABLE relay_requests (
            requester INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            chain TEXT NOT NULL,
            kind INTEGER NOT NULL,
            raw BLOB,
            txid BLOB,
            stage INTEGER NOT NULL,
            block INTEGER NOT NULL,
            answers BLOB NOT NULL,
            PRIMARY KEY (requester, seq)
        ) WITHOUT ROWID;
        CREATE INDEX relay_unfinished ON relay_requests (stage);
        """,

        // 6: the stage and block of each relayed request whose status entry was last stored, so a restart re-sends a
        //    status the journal reached but the store did not (rows from before this step count as sent).
        """
        ALTER TABLE relay_requests ADD COLUMN sent_stage INTEGER;
        ALTER TABLE relay_requests ADD COLUMN sent_block INTEGER;
        UPDATE relay_requests SET sent_stage = stage, sent_block = block;
        """,

        // 7: whether an entry is sealed direct (kind byte bits 7-6 = 1, docs/protocol.md §3.1): only those carry a
        //    recipient hint, so only those are held for a device. A channel post carries its channel's hint and a clear
        //    entry 0, which a device's own hint may equal. Rows from before are read from their kind byte (hex 4x-7x).
        //    The held entries' queries name direct = 1, so the partial index serves them without reading the table.
        """
        ALTER TABLE entries ADD COLUMN direct INTEGER NOT NULL DEFAULT 0;
        UPDATE entries SET direct = 1 WHERE substr(hex(substr(bytes, 1, 1)), 1, 1) IN ('4', '5', '6', '7');
        CREATE INDEX entries_direct_by_hint ON entries (hint, received_at) WHERE direct = 1;
        """,
    ];
}
