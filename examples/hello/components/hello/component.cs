// batou's hello world: one component writing one file.
public sealed class Hello : Component
{
    public string Greeting { get; set; } = "Hello world";

    protected override void Configure()
    {
        // A relative path lands in work/hello/; the file is rewritten only when its content differs.
        Add(new File("hello") { Content = Greeting + "\n" });
    }
}
