using System.Data;
using Dapper;

namespace Shura.Storage;

/// <summary>
/// Typed ids go into queries and come out of rows as themselves: stored as the text of their
/// Guid (as they always were), so no query spells out <c>ToString()</c> or <c>Guid.Parse</c>.
/// </summary>
internal static class TypedIds
{
    private static int _registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }
        SqlMapper.AddTypeHandler(new Handler<AccountId>(g => new(g), id => id.Value));
        SqlMapper.AddTypeHandler(new Handler<CouncilId>(g => new(g), id => id.Value));
        SqlMapper.AddTypeHandler(new Handler<MotionId>(g => new(g), id => id.Value));
        SqlMapper.AddTypeHandler(new Handler<TokenId>(g => new(g), id => id.Value));
        SqlMapper.AddTypeHandler(new Handler<InvitationId>(g => new(g), id => id.Value));
        SqlMapper.AddTypeHandler(new Handler<MandateId>(g => new(g), id => id.Value));
        SqlMapper.AddTypeHandler(new Handler<ActionId>(g => new(g), id => id.Value));
    }

    private sealed class Handler<T>(Func<Guid, T> make, Func<T, Guid> value) : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? id)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value(id!).ToString();
        }

        public override T Parse(object value) => make(value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            _ => throw new InvalidCastException($"An id stored as {value.GetType().Name}."),
        });
    }
}
