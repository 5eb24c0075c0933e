/*
** test_sigv4_api.c: the parts of the SigV4 signer the AWS suites do not reach: the S3 way
** of signing paths (no normalization, single encoding), query and header corner cases
** (prefix-sharing header names, '+', stray '%'), the headers the signer adds or refuses to
** duplicate, the presigned form against AWS's documented S3 examples, and the errors for
** malformed requests, none of which may quote a credential.
*/
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "deploy/sigv4.h"

#define KEY_ID "AKIAIOSFODNN7EXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static const struct sigv4_header host_only[] = {{"Host", "example.amazonaws.com"}};

static struct sigv4_request base(void)
{
  struct sigv4_request r = {0};
  r.method = "GET";
  r.path = "/";
  r.headers = host_only;
  r.nheaders = 1;
  r.access_key_id = KEY_ID;
  r.secret_key = SECRET;
  r.region = "us-east-1";
  r.service = "service";
  r.timestamp = "20150830T123600Z";
  return r;
}

/* Line `n` (0-based) of r's canonical request, or "(error)". */
static char *creq_line(const struct sigv4_request *r, int n)
{
  char *creq = NULL;
  struct diag d = {0};
  if(sigv4_canonical_request(r, &creq, &d))
    return strdup("(error)");
  const char *p = creq;
  for(int i = 0; i < n && p; i++) {
    p = strchr(p, '\n');
    p = p ? p + 1 : NULL;
  }
  char *line = p ? strndup(p, strcspn(p, "\n")) : strdup("(none)");
  free(creq);
  return line;
}

static void path_is(const char *path, unsigned flags, const char *want)
{
  struct sigv4_request r = base();
  r.path = path;
  r.flags = flags;
  char *got = creq_line(&r, 1);
  CHECK_STR(got, want);
  free(got);
}

static void query_is(const char *query, const char *want)
{
  struct sigv4_request r = base();
  r.query = query;
  char *got = creq_line(&r, 2);
  CHECK_STR(got, want);
  free(got);
}

static void paths(void)
{
  const unsigned s3 = SIGV4_NO_NORMALIZE_PATH | SIGV4_NO_DOUBLE_ENCODE;
  /* every service but S3: dot segments go, "//" merges, the path is encoded once more */
  path_is("/a/b/../c/./d", 0, "/a/c/d");
  path_is("/a/b/..", 0, "/a/");
  path_is("/../..", 0, "/");
  path_is("", 0, "/");
  path_is(NULL, 0, "/");
  path_is("/a%20b", 0, "/a%2520b");
  path_is("/a b/c~d", 0, "/a%20b/c~d");
  path_is("//a//b", SIGV4_NO_NORMALIZE_PATH, "//a//b");
  /* S3: kept as sent, its %XX escapes written the one canonical way */
  path_is("/my-object//example//photo.user", s3, "/my-object//example//photo.user");
  path_is("/a/./b/../c", s3, "/a/./b/../c");
  path_is("/a b", s3, "/a%20b");
  path_is("/a%2fb", s3, "/a%2Fb");
  path_is("/%e1%88%b4", s3, "/%E1%88%B4");
  path_is("/a!b(c)", s3, "/a%21b%28c%29");
  path_is("/100%", s3, "/100%25");
}

static void queries(void)
{
  query_is("b=2&a=1", "a=1&b=2");
  query_is("a=1&&b", "a=1&b=");
  query_is("x=a+b", "x=a%2Bb");
  query_is("x=%zz&y=%4", "x=%25zz&y=%254");
  query_is("x=%41%7e", "x=A~");
  query_is("a=2&a=10", "a=10&a=2");
  query_is("Param-3=W&Param=V", "Param=V&Param-3=W");
  query_is("k=a=b", "k=a%3Db");
  query_is("", "");
}

static void headers(void)
{
  /* "x-amz-meta-a" sorts before "x-amz-meta-a-b" (libcurl 7.88 gets this wrong) */
  const struct sigv4_header h[] = {
    {"X-Amz-Meta-A-B", "2"}, {"Host", "h"}, {"x-amz-meta-a", " \t one \t  two\t"},
    {"X-AMZ-META-A", "three"}, {"Empty", ""}};
  struct sigv4_request r = base();
  r.headers = h;
  r.nheaders = 5;
  char *creq = NULL;
  struct diag d = {0};
  CHECK(sigv4_canonical_request(&r, &creq, &d) == SFL_OK);
  CHECK_STR(creq, "GET\n/\n\nempty:\nhost:h\nx-amz-date:20150830T123600Z\n"
                  "x-amz-meta-a:one two,three\nx-amz-meta-a-b:2\n\n"
                  "empty;host;x-amz-date;x-amz-meta-a;x-amz-meta-a-b\n"
                  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  free(creq);
}

/* The headers the caller must add: order, names, and nothing the request has already. */
static void added_headers(void)
{
  struct sigv4_request r = base();
  struct sigv4_result res = {0};
  struct diag d = {0};
  r.session_token = "TOKEN";
  r.flags = SIGV4_CONTENT_SHA256;
  r.payload = "abc";
  r.payload_len = 3;
  CHECK(sigv4_sign(&r, &res, &d) == SFL_OK);
  CHECK(res.nheaders == 4);
  CHECK_STR(res.headers[0].name, "X-Amz-Security-Token");
  CHECK_STR(res.headers[0].value, "TOKEN");
  CHECK_STR(res.headers[1].name, "X-Amz-Date");
  CHECK_STR(res.headers[2].name, "x-amz-content-sha256");
  CHECK_STR(res.headers[2].value,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_STR(res.headers[3].name, "Authorization");
  CHECK_STR(res.headers[3].value, res.authorization);
  CHECK(strstr(res.authorization, "SignedHeaders=host;x-amz-content-sha256;x-amz-date;"
                                  "x-amz-security-token, ") != NULL);
  CHECK(res.query == NULL);
  sigv4_result_free(&res);

  /* a date header that is there already is signed, not sent twice */
  const struct sigv4_header dated[] = {{"Host", "h"}, {"x-amz-date", " 20150830T123600Z "}};
  r = base();
  r.headers = dated;
  r.nheaders = 2;
  CHECK(sigv4_sign(&r, &res, &d) == SFL_OK);
  CHECK(res.nheaders == 1);
  CHECK_STR(res.headers[0].name, "Authorization");
  sigv4_result_free(&res);

  /* ... and one for another time would sign what the server does not check */
  const struct sigv4_header stale[] = {{"Host", "h"}, {"X-Amz-Date", "20150830T123559Z"}};
  r.headers = stale;
  CHECK(sigv4_sign(&r, &res, &d) == SFL_ERR_INVALID);
  CHECK(res.canonical_request == NULL && res.nheaders == 0);
  CHECK_STR(d.msg, "SigV4: the request's X-Amz-Date header differs from the one being signed");
}

/* AWS's S3 examples ("Signature Calculations for the Authorization Header" and
   "Authenticating Requests: Using Query Parameters"), GET /test.txt from examplebucket. */
static void s3_examples(void)
{
  const struct sigv4_header get_h[] = {
    {"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
  struct sigv4_request r = base();
  struct sigv4_result res = {0};
  struct diag d = {0};
  r.path = "/test.txt";
  r.headers = get_h;
  r.nheaders = 2;
  r.service = "s3";
  r.timestamp = "20130524T000000Z";
  r.flags = SIGV4_NO_NORMALIZE_PATH | SIGV4_NO_DOUBLE_ENCODE | SIGV4_CONTENT_SHA256;
  CHECK(sigv4_sign(&r, &res, &d) == SFL_OK);
  CHECK_STR(res.string_to_sign, "AWS4-HMAC-SHA256\n20130524T000000Z\n"
            "20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  CHECK_STR(res.authorization, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/"
            "us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;"
            "x-amz-date, Signature="
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  sigv4_result_free(&res);

  r.headers = get_h;
  r.nheaders = 1;
  r.payload_hash = SIGV4_UNSIGNED_PAYLOAD;
  r.flags = SIGV4_NO_NORMALIZE_PATH | SIGV4_NO_DOUBLE_ENCODE | SIGV4_PRESIGN;
  r.expires = 86400;
  CHECK(sigv4_sign(&r, &res, &d) == SFL_OK);
  CHECK_STR(res.string_to_sign, "AWS4-HMAC-SHA256\n20130524T000000Z\n"
            "20130524/us-east-1/s3/aws4_request\n"
            "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
  CHECK_STR(res.query, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
            "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z"
            "&X-Amz-SignedHeaders=host&X-Amz-Expires=86400&X-Amz-Signature="
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  CHECK(res.authorization == NULL && res.nheaders == 0);
  sigv4_result_free(&res);
}

/* Every malformed request is refused with a message that quotes no credential. */
static void errors(void)
{
  static const struct sigv4_header no_host[] = {{"Accept", "*/*"}};
  static const struct sigv4_header bad_value[] = {{"Host", "h"}, {"X", "a\r\nInjected: 1"}};
  static const struct sigv4_header bad_name[] = {{"Host", "h"}, {"Bad Name", "v"}};
  static const struct sigv4_header no_value[] = {{"Host", "h"}, {"X-Amz-Date", NULL}};
  for(int i = 0; i < 13; i++) {
    struct sigv4_request r = base();
    struct sigv4_result res = {0};
    struct diag d = {0};
    switch(i) {
    case 0: r.headers = no_host; break;
    case 1: r.headers = bad_value; r.nheaders = 2; break;
    case 2: r.headers = bad_name; r.nheaders = 2; break;
    case 3: r.timestamp = "2015-08-30T12:36:00Z"; break;
    case 4: r.region = "us east 1"; break;
    case 5: r.method = ""; break;
    case 6: r.path = "relative/path"; break;
    case 7: r.flags = SIGV4_PRESIGN; r.expires = 0; break;
    case 8: r.flags = SIGV4_PRESIGN; r.expires = SIGV4_MAX_EXPIRES + 1; break;
    case 9: r.secret_key = NULL; break;
    case 10: r.access_key_id = "AKID/" SECRET; break;
    case 11: r.session_token = "tok\nen"; break;
    case 12: r.headers = no_value; r.nheaders = 2; break;
    }
    CHECK(sigv4_sign(&r, &res, &d) == SFL_ERR_INVALID);
    CHECK(d.msg[0] != '\0');
    CHECK(strstr(d.msg, SECRET) == NULL && strstr(d.msg, KEY_ID) == NULL);
    CHECK(res.canonical_request == NULL && res.authorization == NULL);
    sigv4_result_free(&res);
  }
  struct sigv4_request r = base();
  struct diag d = {0};
  char sig[SIGV4_HEX];
  r.service = NULL;
  CHECK(sigv4_signature(&r, "x", sig, &d) == SFL_ERR_INVALID);
  CHECK_STR(sig, "");
}

int main(void)
{
  paths();
  queries();
  headers();
  added_headers();
  s3_examples();
  errors();
  return check_done("test_sigv4_api");
}
