/* schema: tables of both roles. m_* belong to the member role (the node's
 * own cases, mediators and outbox), c_* to the coordinator (pool-wide case
 * records without names, the journal and the dedup table). A process that
 * runs one role leaves the other's tables empty. Append migrations; never
 * edit one that has shipped. */
#include "node/schema.h"

static const char migration_1[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"

    /* member: messages to the coordinator until acknowledged */
    "CREATE TABLE m_outbox(seq INTEGER PRIMARY KEY, type INTEGER NOT NULL,"
    "  frame BLOB NOT NULL, created_ms INTEGER NOT NULL);"
    "CREATE TABLE m_cases(case_id TEXT PRIMARY KEY, posted_by TEXT NOT NULL,"
    "  domain TEXT NOT NULL, language TEXT NOT NULL, urgency TEXT NOT NULL,"
    "  requires_certified INTEGER NOT NULL, seats INTEGER NOT NULL,"
    "  lat REAL NOT NULL, lon REAL NOT NULL, state TEXT NOT NULL, mediator_id TEXT,"
    "  offer_expires_ms INTEGER, disclosure TEXT, outcome TEXT, minutes INTEGER,"
    "  shortlist TEXT, excluded TEXT, eligible INTEGER, considered INTEGER,"
    "  narrative BLOB, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
    "CREATE TABLE m_case_parties(case_id TEXT NOT NULL REFERENCES m_cases ON DELETE CASCADE,"
    "  kind TEXT NOT NULL, label TEXT NOT NULL, ref TEXT NOT NULL);"
    "CREATE TABLE m_history(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL,"
    "  state TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT NOT NULL, at_ms INTEGER NOT NULL);"
    "CREATE INDEX m_history_case ON m_history(case_id, id);"
    "CREATE TABLE m_mediators(user_id TEXT PRIMARY KEY, specialties TEXT NOT NULL,"
    "  languages TEXT NOT NULL, mfn_number TEXT NOT NULL, mfn_expiry_ms INTEGER NOT NULL,"
    "  capacity INTEGER NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,"
    "  windows TEXT NOT NULL DEFAULT '[]', updated_ms INTEGER NOT NULL);"
    "CREATE TABLE m_relationships(user_id TEXT NOT NULL REFERENCES m_mediators,"
    "  kind TEXT NOT NULL, label TEXT NOT NULL, ref TEXT NOT NULL, PRIMARY KEY(user_id, ref));"
    "CREATE TABLE m_offers(case_id TEXT NOT NULL, user_id TEXT NOT NULL, state TEXT NOT NULL,"
    "  requester TEXT NOT NULL, domain TEXT NOT NULL, language TEXT NOT NULL,"
    "  urgency TEXT NOT NULL, parties TEXT NOT NULL, expires_ms INTEGER, sealed BLOB,"
    "  updated_ms INTEGER NOT NULL, PRIMARY KEY(case_id, user_id));"

    /* coordinator: what it knows of each case, by reference only */
    "CREATE TABLE c_inbound(sender TEXT PRIMARY KEY, epoch INTEGER NOT NULL,"
    "  upto INTEGER NOT NULL);"
    "CREATE TABLE c_journal(dest TEXT NOT NULL, seq INTEGER NOT NULL, frame BLOB NOT NULL,"
    "  created_ms INTEGER NOT NULL, PRIMARY KEY(dest, seq));"
    "CREATE TABLE c_cases(case_id TEXT PRIMARY KEY, requester TEXT NOT NULL,"
    "  domain TEXT NOT NULL, language TEXT NOT NULL, urgency INTEGER NOT NULL,"
    "  requires_certified INTEGER NOT NULL, seats INTEGER NOT NULL, lat REAL NOT NULL,"
    "  lon REAL NOT NULL, state INTEGER NOT NULL, mediator_id TEXT, offer_expires_ms INTEGER,"
    "  disclosure INTEGER NOT NULL DEFAULT 0, outcome INTEGER NOT NULL DEFAULT 0,"
    "  minutes INTEGER NOT NULL DEFAULT 0, created_ms INTEGER NOT NULL,"
    "  updated_ms INTEGER NOT NULL);"
    "CREATE TABLE c_case_parties(case_id TEXT NOT NULL REFERENCES c_cases, ref TEXT NOT NULL,"
    "  PRIMARY KEY(case_id, ref));"
    /* mark: vetoed, declined, waived */
    "CREATE TABLE c_case_marks(case_id TEXT NOT NULL REFERENCES c_cases,"
    "  mediator_id TEXT NOT NULL, mark TEXT NOT NULL, PRIMARY KEY(case_id, mediator_id, mark));"
    "CREATE TABLE c_shortlist(case_id TEXT NOT NULL REFERENCES c_cases, rank INTEGER NOT NULL,"
    "  mediator_id TEXT NOT NULL, municipality TEXT NOT NULL, cost INTEGER NOT NULL,"
    "  why TEXT NOT NULL, PRIMARY KEY(case_id, rank));"
    "CREATE TABLE c_transitions(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL,"
    "  from_state INTEGER NOT NULL, to_state INTEGER NOT NULL, actor TEXT NOT NULL,"
    "  reason TEXT NOT NULL, at_ms INTEGER NOT NULL);"
    "CREATE INDEX c_transitions_case ON c_transitions(case_id, id);"
    "CREATE TABLE c_mediators(mediator_id TEXT PRIMARY KEY, node TEXT NOT NULL,"
    "  specialties TEXT NOT NULL, languages TEXT NOT NULL, mfn_number TEXT NOT NULL,"
    "  mfn_expiry_ms INTEGER NOT NULL, capacity INTEGER NOT NULL, lat REAL NOT NULL,"
    "  lon REAL NOT NULL, box_key BLOB NOT NULL, windows TEXT NOT NULL,"
    "  active INTEGER NOT NULL, updated_ms INTEGER NOT NULL);"
    "CREATE TABLE c_relationships(mediator_id TEXT NOT NULL REFERENCES c_mediators,"
    "  ref TEXT NOT NULL, PRIMARY KEY(mediator_id, ref));";

/* The parties read a mediator's disclosure note, sealed to this node. */
static const char migration_2[] = "ALTER TABLE m_cases ADD COLUMN disclosure_note TEXT;";

/* Every matching decision, reproducible: configuration and input hash. */
static const char migration_3[] =
    "CREATE TABLE c_rounds(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, case_id TEXT,"
    "  at_ms INTEGER NOT NULL, config TEXT NOT NULL, input_hash TEXT NOT NULL,"
    "  objective INTEGER NOT NULL, result TEXT NOT NULL);"
    "CREATE INDEX c_rounds_case ON c_rounds(case_id, id);";

/* Journal retention: each entry names what it is about (a case, or a case
 * and one mediator's offer), so that old entries can be compacted to the
 * last one of each subject; the floor is the highest seq compacted. */
static const char migration_4[] =
    "ALTER TABLE c_journal ADD COLUMN subject TEXT;"
    "CREATE INDEX c_journal_subject ON c_journal(dest, subject, seq);"
    "CREATE TABLE c_journal_floor(dest TEXT PRIMARY KEY, floor INTEGER NOT NULL);";

/* Candidates are read for every shortlist: their open and recent cases
 * and the hours their municipality gave and received must not scan every
 * case the pool ever had. */
static const char migration_5[] =
    "CREATE INDEX c_cases_mediator ON c_cases(mediator_id, state, updated_ms);"
    "CREATE INDEX c_cases_state ON c_cases(state);";

/* Compaction looks only at entries older than the retention. */
static const char migration_6[] = "CREATE INDEX c_journal_created ON c_journal(created_ms);";

/* A member remembers the key each mediator profile went out with, and
 * whether it retired the mediator, to tell the coordinator when either
 * changes on a reload of users.ini. */
static const char migration_7[] = "ALTER TABLE m_mediators ADD COLUMN box_key BLOB;"
                                  "ALTER TABLE m_mediators ADD COLUMN retired INTEGER NOT NULL"
                                  "  DEFAULT 0;";

/* Reasons travel as codes; the words people typed with them stay at the
 * requesting node: HR's own, and a mediator's decline note, sealed to it. */
static const char migration_8[] =
    "CREATE TABLE m_case_notes(id INTEGER PRIMARY KEY,"
    "  case_id TEXT NOT NULL REFERENCES m_cases ON DELETE CASCADE, at_ms INTEGER NOT NULL,"
    "  author TEXT NOT NULL, step TEXT NOT NULL, code TEXT NOT NULL, text TEXT NOT NULL);"
    "CREATE INDEX m_case_notes_case ON m_case_notes(case_id, id);";

/* Who read or changed what (BIO 12.4): appended, hash-chained, never
 * updated nor deleted (node/audit.c). */
static const char migration_9[] =
    "CREATE TABLE audit(id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, user_id TEXT NOT NULL,"
    "  op TEXT NOT NULL, case_id TEXT NOT NULL, result TEXT NOT NULL, hash BLOB NOT NULL);"
    "CREATE INDEX audit_case ON audit(case_id, id);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

/* Retention: the destruction list of every node, and what the coordinator
 * keeps of a case once its rows are due: counts and minutes per month,
 * requester, giving municipality, domain, end state and outcome. */
static const char migration_10[] =
    "CREATE TABLE destroyed(id INTEGER PRIMARY KEY, at_ms INTEGER NOT NULL, kind TEXT NOT NULL,"
    "  case_id TEXT NOT NULL, rule TEXT NOT NULL);"
    "CREATE TABLE c_stats(month TEXT NOT NULL, requester TEXT NOT NULL, giver TEXT NOT NULL,"
    "  domain TEXT NOT NULL, state INTEGER NOT NULL, outcome INTEGER NOT NULL,"
    "  cases INTEGER NOT NULL, minutes INTEGER NOT NULL,"
    "  PRIMARY KEY(month, requester, giver, domain, state, outcome));"
    "CREATE INDEX m_cases_state ON m_cases(state, updated_ms);";

/* The legal decision period a case runs inside, at the requesting node
 * (api/ops_deadline.c); days since 1970-01-01. */
static const char migration_11[] =
    "ALTER TABLE m_cases ADD COLUMN deadline_kind TEXT;"
    "ALTER TABLE m_cases ADD COLUMN period_start INTEGER;"
    "ALTER TABLE m_cases ADD COLUMN committee INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE m_cases ADD COLUMN suspended_days INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE m_cases ADD COLUMN postponed_days INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE m_cases ADD COLUMN consented_days INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE m_cases ADD COLUMN working_days INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE m_cases ADD COLUMN decide_by INTEGER;";

/* The same date at the coordinator, for the matcher's deadline term, the
 * offer's expiry and `pool stuck`; the kind, for the yearly report. */
static const char migration_12[] = "ALTER TABLE c_cases ADD COLUMN deadline_kind TEXT;"
                                   "ALTER TABLE c_cases ADD COLUMN decide_by INTEGER;";

/* Retention of the audit trail: the oldest rows may go, but only beneath
 * an anchor that keeps the hash of the last row removed, from which
 * audit-verify goes on. Anchors only move forward and are never changed. */
static const char migration_13[] =
    "CREATE TABLE audit_anchor(upto INTEGER PRIMARY KEY, hash BLOB NOT NULL,"
    "  at_ms INTEGER NOT NULL);"
    "CREATE TRIGGER audit_anchor_forward BEFORE INSERT ON audit_anchor"
    "  WHEN NEW.upto <= (SELECT COALESCE(MAX(upto), 0) FROM audit_anchor)"
    "   OR NEW.upto >= (SELECT MAX(id) FROM audit)"
    "   OR NEW.hash IS NOT (SELECT hash FROM audit WHERE id = NEW.upto)"
    "  BEGIN SELECT RAISE(ABORT, 'an audit anchor names a row below the head, with its hash,"
    " past the last anchor'); END;"
    "CREATE TRIGGER audit_anchor_no_update BEFORE UPDATE ON audit_anchor"
    "  BEGIN SELECT RAISE(ABORT, 'an audit anchor is never changed'); END;"
    "CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor"
    "  BEGIN SELECT RAISE(ABORT, 'an audit anchor is never changed'); END;"
    "DROP TRIGGER audit_no_delete;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  WHEN OLD.id > (SELECT COALESCE(MAX(upto), 0) FROM audit_anchor)"
    "  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;";

/* The answers to changing client requests, by person and request id, so
 * that a repeat is answered once more and never applied twice
 * (api/repeat.c); kept a day or two. */
static const char migration_14[] =
    "CREATE TABLE answered(user_id TEXT NOT NULL, request_id INTEGER NOT NULL, op TEXT NOT NULL,"
    "  at_ms INTEGER NOT NULL, result TEXT NOT NULL, PRIMARY KEY(user_id, request_id));"
    "CREATE INDEX answered_at ON answered(at_ms);";

/* Retention and a data subject's requests find a case's parties, and a
 * person's cases, by these. */
static const char migration_15[] = "CREATE INDEX m_case_parties_case ON m_case_parties(case_id);"
                                   "CREATE INDEX m_case_parties_ref ON m_case_parties(ref);";

/* What the node tells its people (node/notices.c), and whether the mail
 * went: queued until the SMTP server took it, then sent; none when the
 * person has no address or the node sends no mail; failed after two days
 * of trying. seq never comes back, for `mpool watch` to go on from. */
static const char migration_16[] =
    "CREATE TABLE notices(seq INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL, case_id TEXT NOT NULL, detail TEXT NOT NULL, once TEXT UNIQUE,"
    "  at_ms INTEGER NOT NULL, mail TEXT NOT NULL DEFAULT 'queued',"
    "  tries INTEGER NOT NULL DEFAULT 0, next_try_ms INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX notices_user ON notices(user_id, seq);"
    "CREATE INDEX notices_queued ON notices(next_try_ms) WHERE mail = 'queued';";

/* The ledger's one source: the hours each mediator gave each case (at its
 * close, or when they left it), and what retention folded into c_stats.
 * Hours of cases closed before this came from c_cases. */
static const char migration_17[] =
    "CREATE TABLE c_hours(id INTEGER PRIMARY KEY, case_id TEXT NOT NULL, requester TEXT NOT NULL,"
    "  giver TEXT NOT NULL, mediator_id TEXT NOT NULL, minutes INTEGER NOT NULL,"
    "  at_ms INTEGER NOT NULL);"
    "CREATE INDEX c_hours_case ON c_hours(case_id);"
    "INSERT INTO c_hours(case_id, requester, giver, mediator_id, minutes, at_ms)"
    "  SELECT case_id, requester, substr(mediator_id, 1, instr(mediator_id, ':') - 1),"
    "  mediator_id, minutes, updated_ms FROM c_cases"
    "  WHERE state = 8 AND mediator_id IS NOT NULL AND minutes > 0;"
    "CREATE VIEW c_ledger(giver, requester, minutes) AS"
    "  SELECT giver, requester, minutes FROM c_hours"
    "  UNION ALL SELECT giver, requester, minutes FROM c_stats WHERE minutes != 0;";

/* Periods a mediator is away (`mpool mediator away`), at their node and at
 * the coordinator: never available in them, whatever the windows say. */
static const char migration_18[] =
    "ALTER TABLE m_mediators ADD COLUMN away TEXT NOT NULL DEFAULT '[]';"
    "ALTER TABLE c_mediators ADD COLUMN away TEXT NOT NULL DEFAULT '[]';";

/* The pool's words as the coordinator last sent them (member/words.c). */
static const char migration_19[] =
    "CREATE TABLE m_vocabulary(kind TEXT NOT NULL, word TEXT NOT NULL, PRIMARY KEY(kind, word));";

/* Who holds each seat of a case, and where that stands: the one source of
 * who a case is with. A seat is held from the offer on; its row goes when
 * the mediator gives it up, and stays (closed or withdrawn) when the case
 * ends after they took it on. The member keeps the seats as the last event
 * told them. */
static const char migration_20[] =
    "CREATE TABLE c_seats(case_id TEXT NOT NULL REFERENCES c_cases, mediator_id TEXT NOT NULL,"
    "  state INTEGER NOT NULL, offer_expires_ms INTEGER NOT NULL DEFAULT 0,"
    "  disclosure INTEGER NOT NULL DEFAULT 0, minutes INTEGER NOT NULL DEFAULT 0,"
    "  updated_ms INTEGER NOT NULL, PRIMARY KEY(case_id, mediator_id));"
    "CREATE INDEX c_seats_mediator ON c_seats(mediator_id, state, updated_ms);"
    "CREATE INDEX c_seats_expiry ON c_seats(offer_expires_ms) WHERE state = 4;"
    "INSERT INTO c_seats(case_id, mediator_id, state, offer_expires_ms, disclosure, minutes,"
    "  updated_ms) SELECT case_id, mediator_id, state, COALESCE(offer_expires_ms, 0),"
    "  disclosure, minutes, updated_ms FROM c_cases WHERE mediator_id IS NOT NULL"
    "  AND (state IN (4, 5, 6, 7, 8) OR (state = 9 AND EXISTS (SELECT 1 FROM c_transitions t"
    "  WHERE t.case_id = c_cases.case_id AND t.to_state IN (5, 6, 7))));"
    /* A two-seat case under way ran with one mediator: it keeps running so. */
    "UPDATE c_cases SET seats = 1 WHERE seats = 2 AND state IN (3, 4, 5, 6, 7);"
    "UPDATE m_cases SET seats = 1 WHERE seats = 2 AND state IN ('chosen', 'offered', 'accepted',"
    "  'awaiting_consent', 'in_mediation');"
    "DROP INDEX c_cases_mediator;"
    "ALTER TABLE c_cases DROP COLUMN mediator_id;"
    "ALTER TABLE c_cases DROP COLUMN offer_expires_ms;"
    "ALTER TABLE c_cases DROP COLUMN disclosure;"
    "ALTER TABLE m_cases ADD COLUMN seat_list TEXT NOT NULL DEFAULT '[]';"
    "UPDATE m_cases SET seat_list = json_array(json_object('mediator_id', mediator_id,"
    "  'state', state, 'offer_expires_ms', COALESCE(offer_expires_ms, 0), 'disclosure',"
    "  disclosure, 'minutes', COALESCE(minutes, 0))) WHERE mediator_id IS NOT NULL"
    "  AND state IN ('offered', 'accepted', 'awaiting_consent', 'in_mediation', 'closed');";

/* The coordinator's counts for the yearly report (coord/tally.c): what
 * happened, per month, requesting and giving municipality. Counted when
 * it happens, so retention, which destroys the cases, leaves them. */
static const char migration_21[] =
    "CREATE TABLE c_tally(month TEXT NOT NULL, requester TEXT NOT NULL, giver TEXT NOT NULL,"
    "  measure TEXT NOT NULL, code TEXT NOT NULL, count INTEGER NOT NULL,"
    "  PRIMARY KEY(month, requester, giver, measure, code));";

/* Names compared as people read them (base/namefold.c): each pseudonym of
 * a person or unit keeps the form the legacy rule made, which nodes not
 * yet upgraded still compute. member/rederive.c then makes every stored
 * pseudonym again from its label, once, and tells the coordinator. */

static const char migration_22[] =
    "ALTER TABLE m_case_parties ADD COLUMN legacy_ref TEXT;"
    "ALTER TABLE m_relationships ADD COLUMN legacy_ref TEXT;"
    "UPDATE m_case_parties SET legacy_ref = ref WHERE ref LIKE 'p:%';"
    "UPDATE m_relationships SET legacy_ref = ref WHERE ref LIKE 'p:%';"
    "CREATE INDEX m_case_parties_legacy ON m_case_parties(legacy_ref);";

/* The parties choose from what they were shown: every mediator on a
 * shortlist that went to the requesting node, kept per case at both ends
 * (c_shown, m_shown) so that a re-rank never takes a choice away. The
 * steps a requesting node answered OK and queued, until the coordinator's
 * answer to each arrives (m_pending): an event written before the
 * coordinator applied one does not undo it in the node's copy. */
static const char migration_23[] =
    "CREATE TABLE c_shown(case_id TEXT NOT NULL REFERENCES c_cases, mediator_id TEXT NOT NULL,"
    "  first_ms INTEGER NOT NULL, PRIMARY KEY(case_id, mediator_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO c_shown(case_id, mediator_id, first_ms)"
    "  SELECT s.case_id, s.mediator_id, c.updated_ms FROM c_shortlist s"
    "  JOIN c_cases c ON c.case_id = s.case_id;"
    "CREATE TABLE m_shown(case_id TEXT NOT NULL REFERENCES m_cases ON DELETE CASCADE,"
    "  mediator_id TEXT NOT NULL, first_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(case_id, mediator_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO m_shown(case_id, mediator_id, first_ms)"
    "  SELECT c.case_id, json_extract(e.value, '$.mediator_id'), c.updated_ms"
    "  FROM m_cases c, json_each(COALESCE(c.shortlist, '[]')) e"
    "  WHERE json_extract(e.value, '$.mediator_id') IS NOT NULL;"
    "CREATE TABLE m_pending(epoch INTEGER NOT NULL, seq INTEGER NOT NULL,"
    "  case_id TEXT NOT NULL REFERENCES m_cases ON DELETE CASCADE, step TEXT NOT NULL,"
    "  mediator_id TEXT NOT NULL, user_id TEXT NOT NULL, at_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(epoch, seq));"
    "CREATE INDEX m_pending_case ON m_pending(case_id);"
    /* Each mediator a shortlist of the case named keeps the number it was
     * first shown under, so that "number 2" means one person for good. */
    "CREATE TABLE m_numbers(case_id TEXT NOT NULL REFERENCES m_cases ON DELETE CASCADE,"
    "  mediator_id TEXT NOT NULL, number INTEGER NOT NULL,"
    "  PRIMARY KEY(case_id, mediator_id)) WITHOUT ROWID;"
    "INSERT OR IGNORE INTO m_numbers(case_id, mediator_id, number)"
    "  SELECT c.case_id, json_extract(e.value, '$.mediator_id'), e.key + 1"
    "  FROM m_cases c, json_each(COALESCE(c.shortlist, '[]')) e"
    "  WHERE json_extract(e.value, '$.mediator_id') IS NOT NULL;";

/* The parties' names, sealed by the requesting node to the offered
 * mediator's key, at the mediator's node until the offer ends without
 * acceptance (m_offers.names); a mediator's public face, kept at their node
 * and sent with their profile (m_mediators, c_mediators), and as the
 * shortlists showed it at a requesting node (m_pool_mediators). */
static const char migration_24[] =
    "ALTER TABLE m_offers ADD COLUMN names BLOB;"
    "ALTER TABLE m_mediators ADD COLUMN display_name TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE m_mediators ADD COLUMN about TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE c_mediators ADD COLUMN display_name TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE c_mediators ADD COLUMN about TEXT NOT NULL DEFAULT '';"
    /* at a requesting node: the faces of the mediators its shortlists named */
    "CREATE TABLE m_pool_mediators(mediator_id TEXT PRIMARY KEY, display_name TEXT NOT NULL,"
    "  about TEXT NOT NULL, updated_ms INTEGER NOT NULL);";

/* 25 is another change's (left empty here). */
static const char migration_25[] = "";

/* Which journal entries still carry sealed bytes (a narrative, a note, the
 * parties' names), for the coordinator to strip once the case has ended;
 * every older entry that names its case is looked at once. */
static const char migration_26[] =
    "ALTER TABLE c_journal ADD COLUMN sealed INTEGER NOT NULL DEFAULT 0;"
    "UPDATE c_journal SET sealed = 1 WHERE subject IS NOT NULL;"
    "CREATE INDEX c_journal_sealed ON c_journal(seq) WHERE sealed = 1;";

/* The hash of a change's op and arguments, so that a repeat must carry the
 * same ones (api/repeat.c); rows from before have none and are taken as they
 * were. */
static const char migration_27[] = "ALTER TABLE answered ADD COLUMN args_hash BLOB;";

const char *const schema_migrations[] = {
    migration_1,  migration_2,  migration_3,  migration_4,  migration_5,  migration_6,
    migration_7,  migration_8,  migration_9,  migration_10, migration_11, migration_12,
    migration_13, migration_14, migration_15, migration_16, migration_17, migration_18,
    migration_19, migration_20, migration_21, migration_22, migration_23, migration_24,
    migration_25, migration_26, migration_27};
const size_t schema_migration_count = sizeof schema_migrations / sizeof *schema_migrations;
