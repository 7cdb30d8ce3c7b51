namespace Stemma.Tests;
