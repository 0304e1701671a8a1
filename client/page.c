/* page: the paging flags, read once for every list. */
#include "page.h"

bool page_flag(struct args *a, struct page_opts *p, int key, bool *ok)
{
    if (key == PAGE_F_LIMIT)
        *ok = args_long(a, "--limit", a->value, 1, 1000, &p->limit);
    else if (key == PAGE_F_AFTER)
        *ok = args_long(a, "--after", a->value, 0, 1000000000, &p->after);
    else
        return false;
    return true;
}

void page_args(json_t *args, const struct page_opts *p)
{
    if (args && p->limit)
        json_object_set_new(args, "limit", json_integer(p->limit));
    if (args && p->after)
        json_object_set_new(args, "after", json_integer(p->after));
}
