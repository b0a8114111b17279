#include "daemon/s3/xml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace maxio::s3 {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

ObjectInfo object(std::string name, uint64_t size) {
  ObjectInfo o;
  o.name = std::move(name);
  o.size = size;
  o.etag = "d41d8cd98f00b204e9800998ecf8427e";
  o.mod_time = std::chrono::system_clock::from_time_t(1700000000);
  o.storage_class = "STANDARD";
  return o;
}

TEST(DeleteObjectsXml, Parses) {
  auto r = parse_delete_objects(
      "<?xml version=\"1.0\"?><Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Quiet>true</Quiet><Object><Key>a &amp; b</Key></Object>"
      "<Object><Key> spaced </Key><VersionId>v1</VersionId></Object></Delete>");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_TRUE(r->quiet);
  ASSERT_EQ(r->objects.size(), 2u);
  EXPECT_EQ(r->objects[0].name, "a & b");
  EXPECT_EQ(r->objects[1].name, " spaced ");
  EXPECT_EQ(r->objects[1].version_id, "v1");
}

TEST(DeleteObjectsXml, Malformed) {
  for (std::string body :
       {"", "not xml", "<Delete>", "<Other><Object><Key>a</Key></Object></Other>",
        "<Delete></Delete>", "<Delete><Object></Object></Delete>",
        "<Delete><Quiet>maybe</Quiet><Object><Key>a</Key></Object></Delete>"}) {
    EXPECT_EQ(parse_delete_objects(body).code(), ErrorCode::kMalformedXML) << body;
  }
}

TEST(DeleteObjectsXml, LimitAndRoundTrip) {
  DeleteObjectsRequest request;
  for (int i = 0; i < 1001; ++i) request.objects.push_back({"k" + std::to_string(i), ""});
  std::string xml = delete_objects_request_xml(request);
  EXPECT_EQ(parse_delete_objects(xml).code(), ErrorCode::kMalformedXML);
  request.objects.pop_back();
  request.objects[3].version_id = "vid";
  request.objects[4].name = "a\r\nb<&>\"'";
  request.quiet = true;
  auto parsed = parse_delete_objects(delete_objects_request_xml(request));
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_TRUE(*parsed == request);
}

TEST(CreateBucketConfigurationXml, ParsesAndRoundTrips) {
  auto empty = parse_create_bucket_configuration("  ");
  ASSERT_TRUE(empty.is_ok());
  EXPECT_EQ(empty->location_constraint, "");
  auto r = parse_create_bucket_configuration(
      "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(r->location_constraint, "eu-west-1");
  auto again = parse_create_bucket_configuration(create_bucket_configuration_xml(*r));
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(*again, *r);
  EXPECT_EQ(parse_create_bucket_configuration("<Nope/>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_create_bucket_configuration("<CreateBucketConfiguration>").code(),
            ErrorCode::kMalformedXML);
}

TEST(ListBucketsXml, Shape) {
  std::string xml =
      list_buckets_xml({{"alpha", std::chrono::system_clock::from_time_t(1700000000)}});
  EXPECT_THAT(xml, HasSubstr("<ListAllMyBucketsResult xmlns=\"http://s3.amazonaws.com/doc/"
                             "2006-03-01/\"><Owner><ID>"));
  EXPECT_THAT(xml, HasSubstr("<DisplayName>"));
  EXPECT_THAT(xml, HasSubstr("<Buckets><Bucket><Name>alpha</Name><CreationDate>"
                             "2023-11-14T22:13:20.000Z</CreationDate></Bucket></Buckets>"));
}

TEST(ListObjectsXml, V1WithUrlEncoding) {
  ListObjectsParams params;
  params.bucket = "b";
  params.prefix = "dir one/";
  params.delimiter = "/";
  params.marker = "m+1";
  params.max_keys = 2;
  params.url_encode = true;
  ListObjectsInfo result;
  result.objects.push_back(object("dir one/a&b c.txt", 5));
  result.prefixes.push_back("dir one/sub dir/");
  result.is_truncated = true;
  result.next_marker = "dir one/sub dir/";
  std::string xml = list_objects_v1_xml(params, result);
  EXPECT_THAT(xml, HasSubstr("<Name>b</Name><Prefix>dir%20one/</Prefix><Marker>m%2B1</Marker>"
                             "<MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>"
                             "<IsTruncated>true</IsTruncated>"
                             "<NextMarker>dir%20one/sub%20dir/</NextMarker>"
                             "<EncodingType>url</EncodingType>"));
  EXPECT_THAT(xml, HasSubstr("<Contents><Key>dir%20one/a%26b%20c.txt</Key>"
                             "<LastModified>2023-11-14T22:13:20.000Z</LastModified>"
                             "<ETag>\"d41d8cd98f00b204e9800998ecf8427e\"</ETag>"
                             "<Size>5</Size><Owner>"));
  EXPECT_THAT(xml, HasSubstr("<StorageClass>STANDARD</StorageClass></Contents>"));
  EXPECT_THAT(xml, HasSubstr("<CommonPrefixes><Prefix>dir%20one/sub%20dir/</Prefix>"
                             "</CommonPrefixes>"));
}

TEST(ListObjectsXml, V1WithoutDelimiterHasNoNextMarkerAndEscapes) {
  ListObjectsParams params;
  params.bucket = "b";
  ListObjectsInfo result;
  result.objects.push_back(object("a<b>&c", 1));
  result.is_truncated = true;
  result.next_marker = "a<b>&c";
  std::string xml = list_objects_v1_xml(params, result);
  EXPECT_THAT(xml, Not(HasSubstr("NextMarker")));
  EXPECT_THAT(xml, Not(HasSubstr("EncodingType")));
  EXPECT_THAT(xml, HasSubstr("<Key>a&lt;b&gt;&amp;c</Key>"));
  EXPECT_THAT(xml, HasSubstr("<Prefix></Prefix>"));
}

TEST(ListObjectsXml, V2) {
  ListObjectsParams params;
  params.bucket = "b";
  params.start_after = "a b";
  params.continuation_token = "dG9rZW4=";
  params.url_encode = true;
  params.max_keys = 1000;
  ListObjectsInfo result;
  result.objects.push_back(object("x y", 1));
  result.prefixes.push_back("p/");
  result.is_truncated = true;
  std::string xml = list_objects_v2_xml(params, result, "bmV4dA==");
  EXPECT_THAT(xml, HasSubstr("<StartAfter>a%20b</StartAfter>"
                             "<ContinuationToken>dG9rZW4=</ContinuationToken>"
                             "<NextContinuationToken>bmV4dA==</NextContinuationToken>"
                             "<KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>"));
  EXPECT_THAT(xml, HasSubstr("<Key>x%20y</Key>"));
  EXPECT_THAT(xml, Not(HasSubstr("<Owner>")));
  params.fetch_owner = true;
  EXPECT_THAT(list_objects_v2_xml(params, result, ""), HasSubstr("<Owner>"));
}

TEST(ListObjectsXml, Versions) {
  ListObjectsParams params;
  params.bucket = "b";
  ListObjectVersionsInfo result;
  result.versions.push_back(object("k", 3));
  std::string xml = list_object_versions_xml(params, result);
  EXPECT_THAT(xml, HasSubstr("<ListVersionsResult"));
  EXPECT_THAT(xml, HasSubstr("<Version><Key>k</Key><VersionId>null</VersionId>"
                             "<IsLatest>true</IsLatest>"));
  EXPECT_THAT(xml, HasSubstr("<KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>"));
}

TEST(OtherXml, CopyDeleteLocationPost) {
  EXPECT_THAT(copy_object_result_xml(object("k", 1)),
              HasSubstr("<CopyObjectResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                        "<LastModified>2023-11-14T22:13:20.000Z</LastModified>"
                        "<ETag>\"d41d8cd98f00b204e9800998ecf8427e\"</ETag>"));
  std::string del = delete_result_xml(false, {{"a", "", false, ""}},
                                      {{"b", "", "AccessDenied", "Access Denied."}});
  EXPECT_THAT(del, HasSubstr("<Deleted><Key>a</Key></Deleted><Error><Key>b</Key>"
                             "<Code>AccessDenied</Code><Message>Access Denied.</Message>"
                             "</Error>"));
  EXPECT_THAT(delete_result_xml(true, {{"a", "", false, ""}}, {}), Not(HasSubstr("Deleted")));
  EXPECT_THAT(location_constraint_xml("us-east-1"),
              HasSubstr("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>"));
  EXPECT_THAT(location_constraint_xml("eu-west-1"), HasSubstr(">eu-west-1</LocationConstraint>"));
  EXPECT_THAT(post_response_xml("http://h/b/k", "b", "k", "e"),
              HasSubstr("<PostResponse><Location>http://h/b/k</Location><Bucket>b</Bucket>"
                        "<Key>k</Key><ETag>\"e\"</ETag></PostResponse>"));
}

// Regression: a key with a carriage return came back from DeleteObjects as "\n" (XML
// parsers normalize a raw CR); it must be written as a character reference.
TEST(OtherXml, CarriageReturnsAreCharacterReferences) {
  std::string xml = delete_result_xml(false, {{"cr\rkey", "", false, ""}},
                                      {{"x\r\ny", "", "InvalidArgument", "m"}});
  EXPECT_THAT(xml, Not(HasSubstr("\r")));
  EXPECT_THAT(xml, HasSubstr("<Key>cr&#13;key</Key>"));
  EXPECT_THAT(xml, HasSubstr("<Key>x&#13;\ny</Key>"));
  ListObjectsParams params;
  params.bucket = "b";
  EXPECT_THAT(list_objects_v2_xml(params, {{object("a\rb", 1)}, {"p\r/"}, false, ""}, ""),
              AllOf(HasSubstr("<Key>a&#13;b</Key>"), HasSubstr("<Prefix>p&#13;/</Prefix>")));
  auto parsed = parse_delete_objects("<Delete><Object><Key>a&#13;b\rc</Key></Object></Delete>");
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->objects[0].name, "a\rb\rc");
  EXPECT_EQ(escape_carriage_returns("a\rb\r"), "a&#13;b&#13;");
}

// Regression (hostile input): "<Key>seed/small&#0;</Key>" was read as "seed/small" and
// deleted that object; a key split by CDATA was read as its first piece only.
TEST(DeleteObjectsXml, NulIsMalformedAndCdataIsPartOfTheKey) {
  for (std::string body : {std::string("<Delete><Object><Key>k&#0;</Key></Object></Delete>"),
                           std::string("<Delete><Object><Key>k&#x000;</Key></Object></Delete>"),
                           std::string("<Delete><Object><Key>k\0x</Key></Object></Delete>", 48)}) {
    EXPECT_EQ(parse_delete_objects(body).code(), ErrorCode::kMalformedXML) << body;
  }
  auto r = parse_delete_objects(
      "<Delete><Object><Key><![CDATA[seed/sm]]>all/..&#10;</Key></Object>"
      "<Object><Key>a&#100;</Key></Object></Delete>");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->objects[0].name, "seed/small/..\n");
  EXPECT_EQ(r->objects[1].name, "ad");
}

}  // namespace
}  // namespace maxio::s3
