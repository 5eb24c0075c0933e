/*
** fuzz_xml.c: AWS XML responses (src/deploy/xml.c). The input is the response body; a
** document that parses is searched for the fields sfl reads from STS and error documents.
*/
#include "fuzz.h"
#include "deploy/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct xml_doc doc;
  struct diag d = {0};
  if(xml_parse((const char *)data, size, &doc, &d) == SFL_OK) {
    (void)xml_find(&doc, "Credentials/AccessKeyId");
    (void)xml_find(&doc, "Code");
    free(xml_aws_error(&doc));
    xml_free(&doc);
  }
  return 0;
}
