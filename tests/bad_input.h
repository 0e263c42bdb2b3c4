/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bad_input.h — the bad-input matrix: which HRESULT every port-management method of every
 * rtcpm object answers to each bad argument (NULL/empty/embedded-NUL/1 MiB/non-address/IPv6
 * BSTRs, out-of-range ports, transports and port types, NULL out pointers, released or unknown
 * mappings, port managers swapped or released at the wrong time).
 *
 * One table (bad_input_cases[], bad_input_table.c) holds the expected HRESULT of each
 * (method, argument, value). Rows of the IRTCPortManager* methods hold for every port manager
 * in bad_input_pm.c's object list (a row may name one object that answers differently); the
 * host rows hold for the client / profile / session object of their interface. The same table
 * renders as README's "Bad input: HRESULTs" section (test_bad_input --markdown), and a test
 * checks README against it.
 */
#ifndef RTCPM_TESTS_BAD_INPUT_H
#define RTCPM_TESTS_BAD_INPUT_H

#include <stddef.h>
#include "rtcpm/rtcpm.h"

enum bi_method
{
    BI_GET_MAPPING, /* IRTCPortManager */
    BI_UPDATE_REMOTE,
    BI_RELEASE,
    BI_UPDATE_REMOTE_EX, /* IRTCPortManager2 */
    BI_GET_MAPPING_EX,   /* IRTCPortManager3 */
    BI_UPDATE_REMOTE_EX2,
    BI_RELEASE_EX,
    BI_START_LISTEN, /* IRTCClientPortManagement */
    BI_STOP_LISTEN,
    BI_GET_PORT_RANGE,
    BI_PROFILE_SET_PM, /* IRTCProfilePortManagement */
    BI_SESSION_SET_PM, /* IRTCSessionPortManagement */
    BI_METHOD_COUNT
};

/* The argument a case changes (Microsoft's parameter names in the README). */
enum bi_arg
{
    BI_ARG_REMOTE,
    BI_ARG_REMOTE_PORT,
    BI_ARG_TRANSPORT,
    BI_ARG_PORT_TYPE,
    BI_ARG_INTERNAL,
    BI_ARG_INTERNAL_PORT,
    BI_ARG_EXTERNAL,
    BI_ARG_EXTERNAL_PORT,
    BI_ARG_OUT_INTERNAL,
    BI_ARG_OUT_INTERNAL_PORT,
    BI_ARG_OUT_EXTERNAL,
    BI_ARG_OUT_EXTERNAL_PORT,
    BI_ARG_OUT_MIN,
    BI_ARG_OUT_MAX,
    BI_ARG_PORT_MANAGER,
    BI_ARG_STATE, /* not an argument: the object's state (BI_KIND_STATE values) */
    BI_ARG_COUNT
};

enum bi_kind
{
    BI_KIND_BSTR,
    BI_KIND_PORT,
    BI_KIND_TRANSPORT,
    BI_KIND_PORT_TYPE,
    BI_KIND_OUT,
    BI_KIND_STATE,
    BI_KIND_COUNT
};

/* The value put into the argument (each belongs to one kind). */
enum bi_value
{
    /* BSTR arguments */
    BI_V_NULL_BSTR,
    BI_V_EMPTY,
    BI_V_EMBEDDED_NUL, /* the good text, then NUL, then "x" */
    BI_V_1MIB,         /* the good text padded with spaces to 1 MiB */
    BI_V_NOT_ADDRESS,  /* "not.an.address" */
    BI_V_IPV6,         /* "2001:db8::5" */
    BI_V_IPV6_ZONE,    /* "fe80::5%3" */
    BI_V_LONGEST,      /* the longest address text accepted (RTCPM_ADDR_PARSE_TEXT_MAX):
                            "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255%" + 64-char zone + "]" */
    BI_V_TOO_LONG,     /* the same with a 65-char zone */
    /* ports */
    BI_V_PORT_MINUS_1,
    BI_V_PORT_0,
    BI_V_PORT_65535,
    BI_V_PORT_65536,
    BI_V_PORT_LONG_MAX,
    /* transports */
    BI_V_TRANSPORT_0,
    BI_V_TRANSPORT_3,
    BI_V_TRANSPORT_8,
    BI_V_TRANSPORT_MINUS_1,
    /* port types */
    BI_V_TYPE_MINUS_1,
    BI_V_TYPE_5,
    /* out pointers */
    BI_V_NULL_OUT,
    /* states */
    BI_V_UNKNOWN_MAPPING, /* a well-formed mapping never handed out */
    BI_V_DOUBLE_RELEASE,  /* the second release of one mapping */
    BI_V_AFTER_RELEASE,   /* update of a released mapping */
    BI_V_START_TWICE,     /* the same address and port started twice */
    BI_V_STOP_UNKNOWN,    /* an address and port never started */
    BI_V_STOP_TWICE,      /* stopped twice */
    BI_V_NULL_PM,         /* SetPortManager(NULL) */
    BI_V_AFTER_ENABLE,    /* SetPortManager while the profile is enabled / the call is up */
    BI_V_PM_RELEASED,     /* the application released its port manager after SetPortManager;
                               the result is that of the enable / call that follows */
    /* update of a mapping made for an IPv6 remote (GetMappingEx("2001:db8::5", UDP, SIP)) */
    BI_V_V6_MAPPING_V4_REMOTE, /* with the IPv4 remote 203.0.113.5 (the other family) */
    BI_V_V6_MAPPING_LONGEST,   /* with the BI_V_LONGEST text as remote */
    BI_V_V6_MAPPING_TOO_LONG,  /* with the BI_V_TOO_LONG text as remote */
    /* update of the (IPv4) good mapping with "::ffff:203.0.113.9": IPv4-mapped IPv6 is IPv4 */
    BI_V_V4_MAPPED_REMOTE,
    BI_VALUE_COUNT
};

struct bi_case
{
    enum bi_method method;
    enum bi_arg arg;
    enum bi_value value;
    HRESULT expected;
    /* One object may answer differently (NULL: none); a port manager row only. */
    const char *except_object;
    HRESULT except_expected;
};

extern const struct bi_case bad_input_cases[];
extern const size_t bad_input_case_count;

/* Names for messages and the README table. */
const char *bi_method_name(enum bi_method m); /* "IRTCPortManager3::GetMappingEx" */
const char *bi_arg_name(enum bi_arg a);       /* "bstrRemoteAddress" */
const char *bi_value_name(enum bi_value v);   /* "NULL", "1 MiB", "−1", "unknown mapping", ... */
enum bi_kind bi_value_kind(enum bi_value v);
int bi_method_is_pm(enum bi_method m); /* an IRTCPortManager* method */

/* The expected HRESULT of a case on the named object (port managers: "static", ...). */
HRESULT bi_expected(const struct bi_case *c, const char *object);

/* The README section text (Markdown), NUL-terminated, malloc'ed; NULL when out of memory. */
char *bi_markdown(void);

/* Names of the port managers the IRTCPortManager* rows are run on, for the README. */
const char *bi_pm_object_names(void); /* "static, trace(static)" */

/* ---- the port managers the IRTCPortManager* rows run on (bad_input_pm.c) ---- */

struct bi_pm
{
    IRTCPortManager3 *pm; /* the object under test; one reference */
    void *state;          /* the object kind's own (e.g. the static port manager behind a wrapper) */
    LONG reported;        /* calls the object reported (tracing wrapper), else 0 */
};

struct bi_pm_object
{
    const char *name;
    /* Makes the object with its fixture (bad_input_pm.c; static: SIP over UDP/TCP/TLS on
     * 192.168.1.10:5060-5069 -> 198.51.100.7:5060-5069, any type on 192.168.1.10:30000-30009
     * -> 198.51.100.7:40000-40009 and on [fd00::10]:5060-5069 -> [2001:db8::7]:5060-5069;
     * STUN: a fake server on 127.0.0.1 and [::1] reporting 198.51.100.7 / 2001:db8::7).
     * S_OK or the failure. */
    HRESULT (*open)(struct bi_pm *o);
    /* Releases everything open made; o->pm NULL: the test released it already. */
    void (*close)(struct bi_pm *o);
    /* Mappings held now. */
    LONG (*live)(struct bi_pm *o);
    /* The mapping table as text (snprintf-like), or NULL when the object cannot list it. */
    LONG (*listing)(struct bi_pm *o, char *buf, size_t len);
    /* 1 when every method call is reported once (o->reported counts them). */
    int reports_calls;
    /* 1 when case c needs IPv6 loopback for this object (the STUN rows with an IPv6 remote
     * need the [::1] server): those rows run in the suite's "ipv6" part. NULL: none does. */
    int (*needs_ipv6)(const struct bi_case *c);
    /* Why case c means nothing for this object on this target (printed once per object as
     * "not applicable", never run), or NULL. */
    const char *(*not_applicable)(const struct bi_case *c);
};

extern const struct bi_pm_object bi_pm_objects[];
extern const size_t bi_pm_object_count;
/* Stops what the objects share across cases (the STUN rows' fake servers); suite cleanup. */
void bi_pm_objects_cleanup(void);
/* 1 when case c maps or reaches an IPv6 remote: a port manager with servers needs [::1]. */
int bi_case_needs_ipv6(const struct bi_case *c);

/* The negotiating port managers' rows (bad_input_pm_nat.c): PCP against fake PCP servers. */
HRESULT bi_pcp_open(struct bi_pm *o);
void bi_pcp_close(struct bi_pm *o);
LONG bi_pcp_live(struct bi_pm *o);
LONG bi_pcp_listing(struct bi_pm *o, char *buf, size_t len);
void bi_nat_objects_cleanup(void);
/* ... and UPnP against the fake IGD (natively; Windows: not applicable, no IGD on loopback). */
HRESULT bi_upnp_open(struct bi_pm *o);
void bi_upnp_close(struct bi_pm *o);
LONG bi_upnp_live(struct bi_pm *o);
LONG bi_upnp_listing(struct bi_pm *o, char *buf, size_t len);
const char *bi_upnp_not_applicable(const struct bi_case *c);
void bi_upnp_cleanup(void);
/* ... and the automatic one, deciding for PCP against the PCP rows' servers. */
HRESULT bi_auto_open(struct bi_pm *o);
void bi_auto_close(struct bi_pm *o);
LONG bi_auto_live(struct bi_pm *o);
LONG bi_auto_listing(struct bi_pm *o, char *buf, size_t len);

/* ---- shared by the runners ---- */

#define GOOD_REMOTE      "203.0.113.5"
#define GOOD_REMOTE_PORT 5060

/* A BSTR of len ASCII characters (may include NULs). */
BSTR bi_wide(const char *ascii, size_t len);
/* The BSTR / LONG an argument gets: `good` unless v is a value of that kind. */
BSTR bi_make_bstr(enum bi_value v, const char *good);
LONG bi_make_long(enum bi_value v, LONG good);
/* A CUnit assertion whose message names the case (`where`); printed when it fails. */
void bi_check(int ok, const char *where, const char *what, int line);
#define CHECK(cond) bi_check((cond) ? 1 : 0, where, #cond, __LINE__)

/* Runners: each returns the number of cases run; failures are CUnit assertions naming the case.
 * bi_run_pm_cases: ipv6_rows 0 runs the rows that need no IPv6 loopback, 1 only those that do. */
int bi_run_pm_cases(int ipv6_rows);
/* Why the IPv6 rows cannot run here (no [::1]), or NULL. */
const char *bi_pm_ipv6_missing(void);
int bi_run_host_cases(void);

/* An HRESULT's name (rtcpm_hresult_name plus the codes the host objects return). */
const char *bi_hresult_name(HRESULT hr, char buf[11]);

#endif
