/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * rtc_util.c — small things every object of rtcdll.dll uses: referenced lists of interface
 * pointers, BSTR <-> UTF-8, millisecond knobs from the environment.
 */
#include <stdlib.h>
#include <string.h>
#include "rtc/rtc_private.h"
#include "com/bstr_util.h"

HRESULT rtcpm_rtc_list_add(struct rtc_list *list, IUnknown *unk)
{
    if (list->count == list->cap)
    {
        size_t cap = list->cap ? list->cap * 2 : 4;
        IUnknown **items = realloc(list->items, cap * sizeof(*items));
        if (!items) return E_OUTOFMEMORY;
        list->items = items;
        list->cap = cap;
    }
    IUnknown_AddRef(unk);
    list->items[list->count++] = unk;
    return S_OK;
}

int rtcpm_rtc_list_remove(struct rtc_list *list, IUnknown *unk)
{
    size_t i;
    for (i = 0; i < list->count; i++)
    {
        if (list->items[i] != unk) continue;
        memmove(&list->items[i], &list->items[i + 1], (list->count - i - 1) * sizeof(*list->items));
        list->count--;
        return 1;
    }
    return 0;
}

int rtcpm_rtc_list_contains(const struct rtc_list *list, IUnknown *unk)
{
    size_t i;
    for (i = 0; i < list->count; i++)
        if (list->items[i] == unk) return 1;
    return 0;
}

void rtcpm_rtc_list_take(struct rtc_list *list, IUnknown ***items, size_t *count)
{
    *items = list->items;
    *count = list->count;
    memset(list, 0, sizeof(*list));
}

char *rtcpm_rtc_strdup_bstr(BSTR b)
{
    size_t cap = (size_t)SysStringLen(b) * 3 + 1;
    char *s = malloc(cap);

    if (!s) return NULL;
    if (FAILED(rtcpm_bstr_to_utf8(b, s, cap, NULL)))
    {
        free(s);
        return NULL;
    }
    return s;
}

HRESULT rtcpm_rtc_bstr_out(const char *s, BSTR *out)
{
    if (!out) return E_POINTER;
    *out = rtcpm_bstr_from_cstr(s ? s : "");
    return *out ? S_OK : E_OUTOFMEMORY;
}

long rtcpm_rtc_env_ms(const char *name, long max, long dflt)
{
    const char *v = getenv(name);
    long ms = v && *v ? strtol(v, NULL, 10) : 0;
    return ms > 0 && ms <= max ? ms : dflt;
}
