namespace Stemma.Web;

/// <summary>Marks the assembly until the web host lands.</summary>
internal static class WebPlaceholder;
