using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Shura.Storage.Feed;

namespace Shura.Web.Feed;

/// <summary>
/// A call to action as an iCalendar event (RFC 5545), written by Ical.Net, for people's calendars:
/// its title, start (UTC; the calendar shows it in its own time zone), place and words, and a link
/// back. Read as the council is.
/// </summary>
public static class CallCalendar
{
    public static void MapCallCalendar(this IEndpointRouteBuilder app) =>
        app.MapGet("/calls/{id:guid}.ics", WriteAsync).ExcludeFromDescription();

    private static async Task<IResult> WriteAsync(PostId id, HttpContext context, FeedQueries feed, TimeProvider clock, CancellationToken ct)
    {
        if (await feed.CallAsync(id, context.User.Person(), clock.GetUtcNow(), ct) is not { Post.Shown: true } call
            || await Councils.InvisibleCouncils.ReadableAsync(context, new CouncilId(Guid.Parse(call.Post.Council))) is null)
        {
            return Results.NotFound();
        }
        var starts = DateTimeOffset.Parse(call.StartsAt, System.Globalization.CultureInfo.InvariantCulture);
        var page = new Uri($"{context.Request.Scheme}://{context.Request.Host}/posts/{id}");
        var calendar = new Calendar { ProductId = "-//Shura//Calls to action//EN" };
        calendar.Events.Add(new CalendarEvent
        {
            Uid = $"{id}@shura",
            Summary = call.Post.Title,
            Start = new CalDateTime(starts.UtcDateTime, "UTC"),
            End = call.EndsAt is { } ends ? new CalDateTime(DateTimeOffset.Parse(ends, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, "UTC") : null,
            Location = call.Place,
            Description = call.Post.Text,
            Url = page,
            DtStamp = new CalDateTime(DateTimeOffset.Parse(call.Post.PublishedAt, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, "UTC"),
        });
        return Results.Text(new CalendarSerializer().SerializeToString(calendar) ?? "", "text/calendar; charset=utf-8");
    }
}
