import { describe, expect, it } from "vitest";
import { Browser, CookieJar, cookiesSet, parseSetCookie, pkceChallenge, pkcePair } from "./helpers/oauth-browser";

/**
 * The OAuth browser the tests and the bench share: its cookie jar must treat
 * Set-Cookie as a browser does, or a test could pass on a cookie no browser
 * would send (or miss one it would).
 */
function withCookies(...setCookies: string[]): Response {
  const response = new Response(null, { status: 302, headers: { location: "/" } });
  for (const line of setCookies) response.headers.append("set-cookie", line);
  return response;
}

describe("the shared OAuth browser's cookie jar", () => {
  it("reads a Set-Cookie line's attributes, with Max-Age winning over Expires", () => {
    const now = Date.UTC(2000, 0, 1);
    expect(
      parseSetCookie("__Host-c=v=1; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=600; Expires=Thu, 01 Jan 1970 00:00:00 GMT", now),
    ).toEqual({
      name: "__Host-c",
      value: "v=1",
      path: "/",
      secure: true,
      expiresAt: now + 600_000,
    });
    expect(parseSetCookie("no-equals-sign; Path=/")).toBeUndefined();
  });

  it("forgets a cookie cleared with Max-Age=0 or a past Expires, and sends only to the host that set it", () => {
    const jar = new CookieJar();
    jar.store("https://a.example/authorize", withCookies("one=1; Path=/; Secure", "two=2; Path=/", "three=3; Path=/"));
    expect(jar.header("https://a.example/callback")).toBe("one=1; two=2; three=3");
    expect(jar.header("https://b.a.example/")).toBe("");
    expect(jar.header("https://other.example/")).toBe("");
    jar.store("https://a.example/callback", withCookies("one=; Path=/; Max-Age=0", "two=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    expect(jar.header("https://a.example/")).toBe("three=3");
  });

  it("honours Path, Domain and Secure", () => {
    const jar = new CookieJar();
    jar.store(
      "https://login.example/a/b",
      withCookies("dir=1", "api=2; Path=/api", "wide=3; Domain=example; Path=/", "plain=4; Path=/; Secure"),
    );
    expect(jar.header("https://login.example/a/c")).toBe("dir=1; wide=3; plain=4");
    expect(jar.header("https://login.example/api/x")).toBe("api=2; wide=3; plain=4");
    expect(jar.header("https://login.example/apix")).toBe("wide=3; plain=4");
    expect(jar.header("https://sub.example/")).toBe("wide=3");
    expect(jar.header("http://login.example/")).toBe("wide=3");
    // A Domain that does not cover the host that set it is refused.
    jar.store("https://login.example/", withCookies("evil=5; Domain=elsewhere.example; Path=/"));
    expect(jar.header("https://elsewhere.example/")).toBe("wide=3");
  });

  it("sends the jar's cookies and keeps what answers set, without following redirects", async () => {
    const seen: { url: string; cookie: string | null; redirect: string }[] = [];
    const browser = new Browser(async (request) => {
      seen.push({ url: request.url, cookie: request.headers.get("cookie"), redirect: request.redirect });
      return withCookies("s=1; Path=/; Secure");
    });
    expect((await browser.fetch("https://t.example/authorize")).status).toBe(302);
    await browser.fetch("https://t.example/callback");
    expect(seen).toEqual([
      { url: "https://t.example/authorize", cookie: null, redirect: "manual" },
      { url: "https://t.example/callback", cookie: "s=1", redirect: "manual" },
    ]);
  });

  it("lists for replay only the cookies a response set, not those it cleared", () => {
    expect(cookiesSet(withCookies("a=1; Path=/", "b=; Path=/; Max-Age=0", "c=3; Max-Age=60"))).toBe("a=1; c=3");
  });
});

describe("the shared OAuth browser's PKCE", () => {
  it("derives the S256 challenge as unpadded base64url of the verifier's SHA-256", async () => {
    // SHA-256("abc") is FIPS 180-2's first example, ba7816bf…f20015ad: its base64 holds "+" and "/" and ends in "=".
    expect(await pkceChallenge("abc")).toBe("ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
  });

  it("makes a fresh 43-character verifier each time", async () => {
    const [a, b] = [await pkcePair(), await pkcePair()];
    expect(a.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.verifier).not.toBe(b.verifier);
    expect(a.challenge).toBe(await pkceChallenge(a.verifier));
  });
});
