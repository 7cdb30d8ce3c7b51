namespace Stemma.Cli.Tests;
