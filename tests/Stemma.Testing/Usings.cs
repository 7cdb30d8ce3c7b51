namespace Stemma.Testing;
