using Shura.Core.Discussion;

namespace Shura.Core.Tests.Discussion;

/// <summary>The hash the log keeps of words said is salted, so an erased text cannot be confirmed by a guess.</summary>
public class TextsTests
{
    [Fact]
    public void The_same_words_said_twice_have_two_hashes_and_neither_is_the_bare_hash_of_the_words()
    {
        const string Words = "The foreman lives at 12 Saadi Street.";

        string first = new Salts().Hash(Words), second = new Salts().Hash(Words);

        Assert.NotEqual(first, second);
        Assert.DoesNotContain(Texts.Hash(Words), new[] { first, second });
    }

    [Fact]
    public void Within_one_command_a_text_keeps_its_salt_and_its_hash_can_be_recomputed_from_the_salt()
    {
        var salts = new Salts();

        string hash = salts.Hash("Strike");

        Assert.Equal(hash, salts.Hash("Strike"));
        Assert.Equal(hash, Texts.Hash("Strike", salts.SaltOf("Strike")));
        Assert.Equal(32, salts.SaltOf("Strike").Length);
        Assert.NotEqual(salts.SaltOf("Strike"), salts.SaltOf("March"));
    }
}
