namespace Shura.Web;

/// <summary>
/// The web edge's one way to change something: a command of the domain, run for a person by the
/// one writer once the person's rate limit for that kind of change allows it. A refusal (the
/// domain's, or the limit's) comes back as a value and changes nothing; the API answers it as a
/// problem (<see cref="AnswerAsync{T, TOk}(AccountId, Limit, Func{WriteSession, Result{T}}, Func{T, TOk}, CancellationToken)"/>)
/// and a page shows it on itself (<see cref="ShuraPage"/>), both with the status of <see cref="Problems.Status"/>.
/// </summary>
public sealed class Commands(Writer writer, Throttle throttle)
{
    /// <param name="wants">What the command will read, said beforehand so its batch reads it for all at once (ballots).</param>
    public async Task<Result<T>> RunAsync<T>(AccountId person, Limit limit, Func<WriteSession, Result<T>> command, CancellationToken ct, Action<WriteSession>? wants = null) =>
        await throttle.RefusesAsync(limit, person) is { } tooMany ? tooMany : await writer.RunAsync(command, wants, ct);

    /// <summary>
    /// A command that needs a costly step first, outside the writer (cleaning an uploaded image): the
    /// step runs only once the person's limit allows, so nobody can make the server decode pictures
    /// without bound; the command then runs without counting again.
    /// </summary>
    public async Task<Result<T>> RunPreparedAsync<TPrepared, T>(
        AccountId person, Limit limit, Func<Task<Result<TPrepared>>> prepare, Func<TPrepared, Func<WriteSession, Result<T>>> command, CancellationToken ct)
    {
        if (await throttle.RefusesAsync(limit, person) is { } tooMany)
        {
            return tooMany;
        }
        var prepared = await prepare();
        return prepared.Refusal is { } refused ? refused : await writer.RunAsync(command(prepared.Value!), null, ct);
    }

    /// <summary>Runs the command and answers: the refusal as a problem, or what <paramref name="ok"/> makes of its value.</summary>
    public async Task<Results<TOk, ProblemHttpResult>> AnswerAsync<T, TOk>(
        AccountId person, Limit limit, Func<WriteSession, Result<T>> command, Func<T, TOk> ok, CancellationToken ct, Action<WriteSession>? wants = null) where TOk : IResult
    {
        var result = await RunAsync(person, limit, command, ct, wants);
        return result.Refusal is { } refused ? Problems.From(refused) : ok(result.Value!);
    }

    /// <summary>The same, for an answer that reads something after the change (the mandate as it is now, say).</summary>
    public async Task<Results<TOk, ProblemHttpResult>> AnswerAsync<T, TOk>(
        AccountId person, Limit limit, Func<WriteSession, Result<T>> command, Func<T, Task<TOk>> ok, CancellationToken ct) where TOk : IResult
    {
        var result = await RunAsync(person, limit, command, ct);
        return result.Refusal is { } refused ? Problems.From(refused) : await ok(result.Value!);
    }
}
