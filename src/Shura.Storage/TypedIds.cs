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
        SqlMapper.AddTypeHandler(new Handler<AccountId>());
        SqlMapper.AddTypeHandler(new Handler<CouncilId>());
        SqlMapper.AddTypeHandler(new Handler<MotionId>());
        SqlMapper.AddTypeHandler(new Handler<TokenId>());
        SqlMapper.AddTypeHandler(new Handler<InvitationId>());
        SqlMapper.AddTypeHandler(new Handler<MandateId>());
        SqlMapper.AddTypeHandler(new Handler<ActionId>());
        SqlMapper.AddTypeHandler(new Handler<CommentId>());
        SqlMapper.AddTypeHandler(new Handler<PostId>());
        SqlMapper.AddTypeHandler(new Handler<ImageId>());
    }

    private sealed class Handler<T> : SqlMapper.TypeHandler<T> where T : struct, ITypedId<T>
    {
        public override void SetValue(IDbDataParameter parameter, T id)
        {
            parameter.DbType = DbType.String;
            parameter.Value = id.Value.ToString();
        }

        public override T Parse(object value) => T.From(value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            _ => throw new InvalidCastException($"An id stored as {value.GetType().Name}."),
        });
    }
}
