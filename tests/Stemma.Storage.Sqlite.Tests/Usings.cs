namespace Stemma.Storage.Sqlite.Tests;
