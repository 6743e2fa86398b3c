using System.Globalization;

namespace Shura.Web.Site;

/// <summary>Words for someone other than the reader of this request (an e-mail's recipient) are made in their language.</summary>
public static class InLanguage
{
    /// <summary>"fa" or else English, as e-mails are written.</summary>
    public static CultureInfo Of(string? language) => new(language == "fa" ? "fa" : "en");

    public static T Run<T>(CultureInfo culture, Func<T> make)
    {
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            return make();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
