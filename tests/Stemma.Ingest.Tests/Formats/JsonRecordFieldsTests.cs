using System.Text;
using System.Text.Json;
using Stemma.Ingest.Formats;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Formats;

/// <summary>
/// The JSON Lines record reader (one pass of the JSON reader, the text decoded into a buffer) against what a parsed
/// <see cref="JsonDocument"/> gives for the same line: the same failure message, the same root kind, the same field values.
/// </summary>
public sealed class JsonRecordFieldsTests
{
    private static readonly (JsonRecordFields.Field Field, string Name)[] Fields =
    [
        (JsonRecordFields.Field.Id, "id"), (JsonRecordFields.Field.Title, "title"), (JsonRecordFields.Field.Text, "text"),
        (JsonRecordFields.Field.Body, "body"), (JsonRecordFields.Field.Content, "content"), (JsonRecordFields.Field.Url, "url"),
        (JsonRecordFields.Field.Date, "date"), (JsonRecordFields.Field.Site, "site"), (JsonRecordFields.Field.Author, "author"),
        (JsonRecordFields.Field.Language, "language"), (JsonRecordFields.Field.Lang, "lang"),
    ];

    public static TheoryData<string> Lines() =>
    [
        "{\"id\":\"a-1\",\"title\":\"One &amp; two\",\"text\":\"Body one.\\nRelated: x\",\"date\":\"2026-01-02\"}",
        "{\"id\":7,\"text\":\"Body two.\",\"site\":-1.5e3}",
        "{\"id\":8,\"text\":12345.5e-1}",
        "\uFEFF{\"id\":\"bom\",\"text\":\"A byte order mark before the first record.\"}",
        "{\"text\":\"caf\\u00e9 \\\"quoted\\\" back\\\\slash \\/ tab\\t cr\\r ff\\f bs\\b nul\\u0000 end\"}",
        "{\"text\":\"pair \\ud83d\\ude00 raw 😀 done\"}",
        "{\"text\":\"lone high \\ud83d then text\",\"title\":\"lone low \\ude00\"}",
        "{\"text\":\"high at the end \\ud83d\"}",
        "{\"text\":\"two highs \\ud83d\\ud83d\\ude00\"}",
        "{\"text\":\"first\",\"text\":\"second wins\"}",
        "{\"text\":\"first\",\"text\":{\"nested\":true}}",
        "{\"text\":\"   \",\"body\":\"from body\"}",
        "{\"text\":\"\",\"body\":null,\"content\":\"from content\"}",
        "{\"t\\u0065xt\":\"escaped name\"}",
        "{\"meta\":{\"text\":\"nested, not the record's\",\"id\":\"inner\"},\"id\":\"outer\"}",
        "{\"text\":true,\"author\":[\"a\"],\"language\":\"en-US\",\"lang\":\"de\"}",
        "{\"url\":\"https://example.com/a\",\"author\":\"  \",\"text\":\"\\n\\n  \\n\"}",
        "  {\"text\":\"spaces around\"}  ",
        "{}",
        "[1,2]",
        "\"just a string\"",
        "42",
        "true",
        "false",
        "null",
        "{\"text\":\"unterminated",
        "{\"text\":\"x\"} trailing",
        "{\"text\":\"x\",}",
        "{\"text\":\"x\"/* comment */}",
        "{\"text\":\"bad \\x escape\"}",
        "{\"text\":\"bad \\u12G4 hex\"}",
        "{\"text\":\"raw\tcontrol\"}",
        "{\"text\" \"no colon\"}",
        "{\"id\":01,\"text\":\"leading zero\"}",
        "{\"id\":-,\"text\":\"sign alone\"}",
        "{\"id\":1.,\"text\":\"no fraction digits\"}",
        "{\"id\":1e+,\"text\":\"no exponent digits\"}",
        "{\"id\":.5,\"text\":\"no integer part\"}",
        "{\"id\":+1,\"text\":\"plus sign\"}",
        "{\"id\":-0.0E-0,\"text\":\"odd but valid\"}",
        "{\"text\":\"x\",\"a\":tru}",
        "{\"text\":\"x\",\"a\":nulls}",
        "{\"text\":\"x\",\"a\":[1,]}",
        "{\"text\":\"x\",\"a\":[1 2]}",
        "{\"text\":\"x\",\"a\":{\"b\"}}",
        "{\"text\":\"x\",\"a\":{\"b\":1,}}",
        "{\"text\":\"x\",\"a\":{\"b\":[{\"c\":\"\\u00E9\"}]}}",
        "{\"text\":\"x\"\u00a0}",
        "{\"text\":\"x\"\u000b}",
        "[1,2",
        "\r",
        "",
        "{\"id\":\"x\",\"text\":\"y\"}{\"id\":\"z\"}",
        string.Concat(Enumerable.Repeat("[", 70)) + string.Concat(Enumerable.Repeat("]", 70)),
        "{\"a\":" + string.Concat(Enumerable.Repeat("[", 62)) + string.Concat(Enumerable.Repeat("]", 62)) + ",\"text\":\"deep but fine\"}",
    ];

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_line_reads_as_a_parsed_document_reads(string line) => AssertSameAsDocument(Encoding.UTF8.GetBytes(line));

    [Fact]
    public void Random_text_with_escapes_decodes_as_the_document_decodes()
    {
        var random = new Random(1313);
        var escapeAll = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };
        var relaxed = new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        string[] pieces = ["a", "Z", " ", "\n", "\r\n", "\t", "\"", "\\", "/", "é", "ß", "—", "中", "😀", "\u0000", "\u001f", "<p>", "&amp;", "\u2028"];
        for (var round = 0; round < 400; round++)
        {
            var text = new StringBuilder();
            var count = random.Next(0, 40);
            for (var i = 0; i < count; i++)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }

            var value = JsonSerializer.Serialize(text.ToString(), round % 2 == 0 ? escapeAll : relaxed);
            if (round % 5 == 0)
            {
                // A lone surrogate escape spliced in at either end (never inside another escape), as a truncating scraper leaves it.
                value = value.Insert(random.Next(2) == 0 ? 1 : value.Length - 1, random.Next(2) == 0 ? "\\ud83d" : "\\ude00");
            }

            AssertSameAsDocument(Encoding.UTF8.GetBytes($"{{\"id\":{round},\"text\":{value},\"title\":{value}}}"));
        }
    }

    [Fact]
    public void Records_the_scan_reads_are_read_by_it_and_not_left_to_the_reader()
    {
        // The scan is the fast path: a plain record, nesting, escapes and every kind of value never need the reader.
        string[] lines =
        [
            "{\"id\":\"a\",\"text\":\"Line one.\\n\\nLine \\\"two\\\" \\u00e9\"}",
            " {\"id\" : 7 , \"text\" : \"x\" , \"meta\" : {\"tags\":[\"a\",1,-2.5E+3,true,false,null,{},[]]} }\r",
            "{}",
            "{\"text\":\"caf\u00e9 中 😀\",\"site\":0,\"date\":-0.5e-7}",
        ];
        foreach (var line in lines)
        {
            Assert.True(new JsonRecordFields().TryScan(Encoding.UTF8.GetBytes(line)), line);
        }
    }

    [Fact]
    public void Random_records_and_their_corruptions_read_as_the_reader_reads_them()
    {
        // Records made by a JSON writer, then cut, spliced and garbled: whatever the scan accepts, the reader accepts with the
        // same fields; whatever it refuses goes to the reader, so the failure messages stay the reader's.
        var random = new Random(4242);
        string[] names = ["id", "title", "text", "body", "content", "url", "date", "site", "author", "language", "lang", "meta", "tags", "x"];
        byte[] noise = "{}[]:,\"\\/ \t\n\r0123456789-+.eEtfnulrasbu\u00e9x"u8.ToArray();
        var (scanned, refused) = (0, 0);
        for (var round = 0; round < 3000; round++)
        {
            var line = RandomRecord(random, names);
            var mutations = round % 3 == 0 ? 0 : random.Next(1, 4);
            for (var m = 0; m < mutations && line.Count > 0; m++)
            {
                var at = random.Next(line.Count);
                switch (random.Next(3))
                {
                    case 0:
                        line.RemoveAt(at);
                        break;
                    case 1:
                        line.Insert(at, noise[random.Next(noise.Length)]);
                        break;
                    default:
                        line[at] = noise[random.Next(noise.Length)];
                        break;
                }
            }

            var bytes = line.ToArray();
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                continue;
            }

            if (new JsonRecordFields().TryScan(bytes))
            {
                scanned++;
            }
            else
            {
                refused++;
            }

            AssertSameAsDocument(bytes);
            AssertSameAsReader(bytes);
        }

        Assert.True(scanned > 1000 && refused > 500, $"scanned {scanned}, refused {refused}");
    }

    private static List<byte> RandomRecord(Random random, string[] names)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = random.Next(2) == 0 ? System.Text.Encodings.Web.JavaScriptEncoder.Default : System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            var count = random.Next(0, 8);
            for (var i = 0; i < count; i++)
            {
                writer.WritePropertyName(names[random.Next(names.Length)]);
                WriteRandomValue(writer, random, depth: 0);
            }

            writer.WriteEndObject();
        }

        return [.. stream.ToArray()];
    }

    private static void WriteRandomValue(Utf8JsonWriter writer, Random random, int depth)
    {
        string[] pieces = ["a", "Z", " ", "\n", "\t", "\"", "\\", "/", "é", "中", "😀", "\u0001", "&", "<"];
        switch (random.Next(depth < 3 ? 8 : 6))
        {
            case 0 or 1 or 2:
                writer.WriteStringValue(string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)])));
                break;
            case 3:
                writer.WriteNumberValue(random.Next(4) switch { 0 => random.Next(-50, 50), 1 => random.NextDouble() * 1e6, 2 => -random.NextDouble() * 1e-9, _ => 0 });
                break;
            case 4:
                writer.WriteBooleanValue(random.Next(2) == 0);
                break;
            case 5:
                writer.WriteNullValue();
                break;
            case 6:
                writer.WriteStartArray();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    WriteRandomValue(writer, random, depth + 1);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStartObject();
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    writer.WritePropertyName(random.Next(2) == 0 ? "text" : "k");
                    WriteRandomValue(writer, random, depth + 1);
                }

                writer.WriteEndObject();
                break;
        }
    }

    /// <summary>The line read with the scan first and with the reader alone: both fail, or both give the same fields.</summary>
    private static void AssertSameAsReader(byte[] line)
    {
        var (fast, reference) = (new JsonRecordFields(), new JsonRecordFields());
        Exception? fastError = null, referenceError = null;
        try
        {
            fast.Read(line);
        }
        catch (JsonException ex)
        {
            fastError = ex;
        }

        try
        {
            reference.ReadWithReader(line);
        }
        catch (JsonException ex)
        {
            referenceError = ex;
        }

        Assert.Equal(referenceError?.Message, fastError?.Message);
        if (referenceError is null)
        {
            Assert.Equal(reference.RootKindName, fast.RootKindName);
            foreach (var (field, _) in Fields)
            {
                Assert.Equal(reference.String(field), fast.String(field));
            }
        }
    }

    [Fact]
    public void A_buffer_reused_across_records_keeps_nothing_of_the_one_before()
    {
        var fields = new JsonRecordFields();
        fields.Read("{\"id\":\"first\",\"title\":\"Title one\",\"text\":\"One.\"}"u8.ToArray());
        fields.Read("{\"text\":\"Two.\"}"u8.ToArray());
        Assert.Null(fields.String(JsonRecordFields.Field.Id));
        Assert.Null(fields.String(JsonRecordFields.Field.Title));
        Assert.Equal("Two.", fields.String(JsonRecordFields.Field.Text));
    }

    [Fact]
    public void Malformed_line_is_reported_with_the_file_line_and_parser_message_and_the_rest_is_read()
    {
        const string bad = "{\"id\":\"bad\",\"text\":\"x\",}";
        var expected = Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(Encoding.UTF8.GetBytes(bad))).Message;
        var outcomes = ArticleReader.ReadBytes(Encoding.UTF8.GetBytes($"{{\"id\":\"ok\",\"text\":\"Fine.\"}}\n{bad}\n{{\"id\":\"last\",\"text\":\"Also fine.\"}}\n"), "dump.jsonl").ToList();
        Assert.Equal(["ok", null, "last"], outcomes.Select(outcome => outcome.Article?.Id));
        Assert.Equal($"dump.jsonl:2: invalid JSON: {expected}", outcomes[1].ToString());
    }

    [Fact]
    public void Missing_fields_fall_back_to_the_line_id_and_missing_text_is_an_error()
    {
        var outcomes = ArticleReader.ReadBytes("{\"content\":\"Only content here.\"}\n{\"id\":\"no-text\",\"title\":\"T\"}\n{\"id\":\"blank\",\"text\":\" \\n \"}\n"u8.ToArray(), "f.jsonl").ToList();
        var article = outcomes[0].Article!;
        Assert.Equal(("f.jsonl#1", "Only content here.", null, null), (article.Id, article.Body, article.Title, article.Url));
        Assert.Equal("f.jsonl:2: record has no text", outcomes[1].ToString());
        Assert.Equal("f.jsonl:3: record has no text", outcomes[2].ToString());
    }

    [Fact]
    public void Utf16_jsonl_reads_as_its_utf8_form()
    {
        const string jsonl = "{\"id\":\"u1\",\"title\":\"Größe\",\"text\":\"Zürich \\u00e9t\\u00e9 😀.\\n\\nZweiter Absatz.\"}\n{\"id\":\"u2\",\"text\":\"Two.\"}\n";
        var utf8 = ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(jsonl), "u.jsonl").Select(outcome => outcome.Article!).ToList();
        foreach (var encoding in new Encoding[] { Encoding.Unicode, Encoding.BigEndianUnicode })
        {
            byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(jsonl)];
            var utf16 = ArticleReader.ReadBytes(bytes, "u.jsonl").Select(outcome => outcome.Article!).ToList();
            Assert.Equal(utf8.Select(a => (a.Id, a.Title, a.Body)), utf16.Select(a => (a.Id, a.Title, a.Body)));
        }

        Assert.Equal("Zürich été 😀.\n\nZweiter Absatz.", utf8[0].Body);
    }

    [Fact]
    public void A_huge_line_with_many_escapes_is_read_whole()
    {
        var paragraphs = Enumerable.Range(0, 20_000).Select(i => $"Paragraph {i} says \"caf\u00e9\" and ends.").ToList();
        var text = string.Join("\n\n", paragraphs);
        var line = JsonSerializer.Serialize(new { id = "huge", text }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default });
        Assert.True(line.Length > 800_000);
        var article = Reading.Single(ArticleReader.ReadBytes(Encoding.UTF8.GetBytes(line + "\n"), "h.jsonl").ToList());
        Assert.Equal(text, article.Body);
    }

    private static void AssertSameAsDocument(byte[] line)
    {
        var fields = new JsonRecordFields();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException expected)
        {
            var actual = Assert.ThrowsAny<JsonException>(() => fields.Read(line));
            Assert.Equal(expected.Message, actual.Message);
            return;
        }

        using (document)
        {
            fields.Read(line);
            var root = document.RootElement;
            Assert.Equal(root.ValueKind.ToString().ToLowerInvariant(), fields.RootKindName);
            if (root.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var (field, name) in Fields)
            {
                Assert.Equal(JsonFields.String(root, name), fields.String(field));
            }

            var expectedText = JsonFields.String(root, "text") ?? JsonFields.String(root, "body") ?? JsonFields.String(root, "content");
            if (fields.TryDecodeFirst([JsonRecordFields.Field.Text, JsonRecordFields.Field.Body, JsonRecordFields.Field.Content], out var buffer, out var length))
            {
                Assert.Equal(expectedText, new string(buffer, 0, length));
                System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            }
            else
            {
                Assert.Null(expectedText);
            }
        }
    }
}
