global using Stemma.Web.Tests.Support;
