using Shura.Storage.Accounts;

namespace Shura.Web.Pages.Accounts;

/// <summary>The link of a verification e-mail: one button, which verifies the address the link was sent to. No sign-in needed: the link is the proof.</summary>
public sealed class VerifyModel(Writer writer) : ShuraPage
{
    public bool Verified { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string token, CancellationToken ct)
    {
        var result = await writer.RunAsync(s => OwnAccount.Verify(s, token), ct);
        if (result.Refusal is { } refused)
        {
            return Refused(refused);
        }
        Verified = true;
        return Page();
    }
}
