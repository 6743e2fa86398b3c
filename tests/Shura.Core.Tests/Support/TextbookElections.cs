using Shura.Core.Ballots;

namespace Shura.Core.Tests.Support;

/// <summary>Small elections from the literature, whose results are well known.</summary>
public static class TextbookElections
{
    /// <summary>
    /// Where should Tennessee put its capital? Voters prefer the cities nearest them. Memphis
    /// leads on first preferences, Knoxville wins the instant runoff, Nashville is the
    /// Condorcet winner.
    /// </summary>
    public static BallotBox Tennessee => TestBallots.Of("Memphis Nashville Chattanooga Knoxville",
        "42: Memphis>Nashville>Chattanooga>Knoxville",
        "26: Nashville>Chattanooga>Knoxville>Memphis",
        "15: Chattanooga>Knoxville>Nashville>Memphis",
        "17: Knoxville>Chattanooga>Nashville>Memphis");

    /// <summary>The 45-voter example from Schulze's own description of his method: E wins.</summary>
    public static BallotBox FortyFive => TestBallots.Of("A B C D E",
        "5: A>C>B>E>D", "5: A>D>E>C>B", "8: B>E>D>A>C", "3: C>A>B>E>D",
        "7: C>A>E>B>D", "2: C>B>A>D>E", "7: D>C>E>B>A", "8: E>B>A>D>C");
}
