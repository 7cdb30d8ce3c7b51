namespace Stemma.Ingest.Tests;
