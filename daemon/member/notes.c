/* notes: m_case_notes, written in the transaction of the step it explains. */
#include "member/notes.h"

#include <stdio.h>
#include <string.h>

#include "base/ids.h"
#include "store/store.h"

int case_note_add(struct node *n, const char *case_id, const char *author, const char *step,
                  const char *code, const char *text, size_t len)
{
    if (!text || len == 0)
        return 0;
    sqlite3_stmt *st = store_prepare(n->db, "INSERT INTO m_case_notes(case_id, at_ms, author,"
                                            " step, code, text) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, now_ms());
    sqlite3_bind_text(st, 3, author, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, step, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, code ? code : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, text, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    store_release(st);
    return rc;
}

json_t *case_notes_json(struct node *n, const char *case_id)
{
    json_t *arr = json_array();
    sqlite3_stmt *st = store_prepare(n->db, "SELECT at_ms, author, step, code, text FROM"
                                            " m_case_notes WHERE case_id = ?1 ORDER BY id");
    if (!st)
        return arr;
    sqlite3_bind_text(st, 1, case_id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        json_array_append_new(
            arr, json_pack("{sIssssssss}", "at_ms", (json_int_t)sqlite3_column_int64(st, 0),
                           "author", sqlite3_column_text(st, 1), "step", sqlite3_column_text(st, 2),
                           "code", sqlite3_column_text(st, 3), "text", sqlite3_column_text(st, 4)));
    store_release(st);
    return arr;
}

/* The coordinator's words for a mediator leaving with a note (do_decline
 * and do_step_back in coord/actions.c): "M declined (CODE)" and "M stepped
 * back (CODE) after H h". */
static const struct {
    const char *words, *step;
} leaving[] = {
    {" stepped back (", "step back"},
    {" declined (", "decline"},
};

const char *case_note_step_of(const char *reason, char *code, size_t len)
{
    code[0] = '\0';
    for (size_t i = 0; reason && i < sizeof leaving / sizeof *leaving; i++) {
        const char *at = strstr(reason, leaving[i].words);
        if (!at)
            continue;
        at += strlen(leaving[i].words);
        snprintf(code, len, "%.*s", (int)strcspn(at, ")"), at);
        return leaving[i].step;
    }
    return "decline";
}
