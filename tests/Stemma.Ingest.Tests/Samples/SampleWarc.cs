using System.Text;
using Stemma.Ingest.Tests.Support;

namespace Stemma.Ingest.Tests.Samples;

/// <summary>
/// Builds samples/formats/repost.warc.gz: an aggregator's copy of the Kittiwake story as an HTTP 200 response,
/// plus a 404 response and a warcinfo record. Run with STEMMA_WRITE_SAMPLES=1 to rewrite the committed file:
/// STEMMA_WRITE_SAMPLES=1 dotnet test tests/Stemma.Ingest.Tests --filter SampleWarc
/// </summary>
public static class SampleWarc
{
    public const string CopyUri = "https://www.localbuzz.example.info/news/kittiwake-ferry-returns-saltmere";

    public const string MissingUri = "https://www.localbuzz.example.info/news/kittiwake-ferry-timetable";

    public const string CopyPage = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <title>Kittiwake ferry returns to Saltmere after community raises £84,000 – Local Buzz</title>
          <meta property="article:published_time" content="2026-03-15T08:00:00+00:00">
        </head>
        <body>
          <nav><a href="/">Local Buzz</a> <a href="/trending">Trending</a> <a href="/deals">Deals</a></nav>
          <main>
            <article>
              <h1>Kittiwake ferry returns to Saltmere after community raises £84,000</h1>
                <p>The Kittiwake, the small blue ferry that has carried passengers between Saltmere and Gull Island since 1987, returned to service on Saturday morning after a winter spent in dry dock at the Penhallow yard.</p>
                <p>Around sixty people queued on the slipway before the first crossing at 7.15, some holding flasks of tea against the wind. Several had brought children who had never seen the boat under way.</p>
                <p>The ferry was withdrawn in November when an engineer noticed oil in the bilge during a routine inspection. The fault turned out to be a cracked engine block, and the operator, Saltmere Community Boats, warned at the time that repairs might not be affordable.</p>
                <p>Instead, residents raised £84,000 in eleven weeks through a bake sale, a sponsored swim across the harbour in January and a crowdfunding page that drew donations from as far away as Canada.</p>
                <p>“I did not think we would manage it,” said Rosalind Tregear, who chairs the community group. “People gave what they could. One man handed over the coins from his late wife’s savings jar. That is what this boat means here.”</p>
                <p>Photo: The Harbour Gazette</p>
                <p>The rebuilt engine is expected to cut fuel use by about a fifth. The yard also replaced the wheelhouse windows and fitted a ramp so that wheelchair users can board without help for the first time.</p>
                <p>Skipper Daniel Moyle, who has worked on the Kittiwake for nineteen years, said the boat handled well on the trial runs. “She is quieter than she has ever been. You can hear the gulls again.”</p>
                <p>For Gull Island’s forty permanent residents, the winter without the ferry meant relying on a water taxi that ran only in calm weather. Island shopkeeper Mei Lin Hart said deliveries had often been delayed by a week or more.</p>
                <p>The timetable returns to four crossings a day, rising to six from June. Fares are unchanged at £3 for adults, and children under twelve travel free.</p>
                <p>The Kittiwake was built in Falmouth in 1964 and bought by the town in 1987 for £12,000, a sum that was also raised largely by residents. Older islanders still call her the parish boat.</p>
                <p>Saltmere Community Boats said it would hold an open day on the quay next Sunday to thank donors, with free trips around the harbour for anyone who contributed.</p>
                <p><a href="https://harbourgazette.example.com/news/2026/03/14/kittiwake-ferry-returns">Source link</a></p>
            </article>
            <aside><h3>Trending now</h3><p><a href="/celebrity">You will not believe these celebrity homes</a></p></aside>
          </main>
          <footer><p>Local Buzz aggregates stories from around the web.</p></footer>
        </body>
        </html>
        """;

    public static byte[] Build() => new WarcBuilder()
        .WarcInfo()
        .Response(CopyUri, 200, "text/html; charset=UTF-8", Encoding.UTF8.GetBytes(CopyPage))
        .Response(MissingUri, 404, "text/html; charset=UTF-8", Encoding.UTF8.GetBytes("<html><head><title>Not found</title></head><body><article><p>Sorry, that page could not be found.</p></article></body></html>"))
        .Build(gzipPerRecord: true);
}
