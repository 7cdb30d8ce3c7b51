namespace Stemma.Web.Tests;
