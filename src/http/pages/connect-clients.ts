import { bytesToBase64, utf8 } from "../../lib/encoding";

/**
 * @module The AI clients an organization's landing page explains how to
 * connect, as data: for each one the steps a person follows, the exact text
 * they copy (a command, a URL, a configuration) and the install link where
 * the client documents one. Every step follows the client's own
 * documentation, linked from its entry; where a client's flow varies by plan
 * or version, the steps say less rather than guess.
 */

/** The server a person is connecting, as every client names and reaches it. */
export interface ConnectTarget {
  /** The organization's name, as people know it. */
  orgName: string;
  /** A short server name for clients that ask for one (letters, digits and hyphens). */
  serverName: string;
  /** The tenant's MCP server URL. */
  mcpUrl: string;
}

/** Text a person copies exactly: shown in a `<pre>` with its own id and a copy button. */
export interface Snippet {
  /** Unique on the page; the copy button points at it. */
  id: string;
  /** What it is, for the copy button's accessible name ("Copy the …"). */
  label: string;
  text: string;
}

/** A link that opens the client and asks it to add the server. */
export interface InstallLink {
  label: string;
  href: string;
}

export interface ConnectClient {
  id: string;
  name: string;
  /** Plain-text steps, in order; snippets and the install link sit after them. */
  steps: readonly string[];
  snippets: readonly Snippet[];
  link?: InstallLink;
  /** The client's own documentation these steps follow. */
  docs: { label: string; href: string };
}

/** A server name a client accepts: the organization's address label, which is already letters, digits and hyphens. */
export function serverNameFor(slug: string): string {
  return `${slug}-m365`;
}

/**
 * Cursor's install link: `config` is the server's mcp.json entry as
 * base64-encoded JSON (https://cursor.com/docs/mcp/install-links). The
 * base64 is percent-encoded so a `+` or `/` in it survives any query parser.
 */
export function cursorInstallLink(target: ConnectTarget): string {
  const config = bytesToBase64(utf8(JSON.stringify({ url: target.mcpUrl })));
  return `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(target.serverName)}&config=${encodeURIComponent(config)}`;
}

/** The server as VS Code's `--add-mcp` and its install link both take it: name, transport and URL. */
export function vsCodeServer(target: ConnectTarget): { name: string; type: "http"; url: string } {
  return { name: target.serverName, type: "http", url: target.mcpUrl };
}

/** VS Code's MCP install URL: `vscode:mcp/install?` and the URL-encoded JSON of the server (VS Code's MCP developer guide). */
export function vsCodeInstallLink(target: ConnectTarget): string {
  return `vscode:mcp/install?${encodeURIComponent(JSON.stringify(vsCodeServer(target)))}`;
}

/** A client configuration entry that runs mcp-remote, for clients that start local (stdio) servers only. */
export function mcpRemoteConfig(target: ConnectTarget): string {
  const entry = { mcpServers: { [target.serverName]: { command: "npx", args: ["-y", "mcp-remote", target.mcpUrl] } } };
  return JSON.stringify(entry, null, 2);
}

/** Every client the landing page covers, in the order it lists them. */
export function connectClients(target: ConnectTarget): ConnectClient[] {
  const signIn = `Sign in with your ${target.orgName} Microsoft account when the client asks.`;
  return [
    {
      id: "claude",
      name: "Claude (claude.ai and Claude Desktop)",
      steps: [
        "Open Claude's connector settings (Customize, then Connectors), choose +, then Add custom connector.",
        "Give it a name and paste the MCP server URL below, then choose Add.",
        `Choose Connect and sign in with your ${target.orgName} Microsoft account.`,
        "On Team and Enterprise plans an Owner adds the connector for the whole Claude organization first; each member then connects.",
      ],
      snippets: [{ id: "connect-claude-url", label: "MCP server URL for Claude", text: target.mcpUrl }],
      docs: {
        label: "Claude: getting started with custom connectors",
        href: "https://support.claude.com/en/articles/11175166-getting-started-with-custom-connectors-using-remote-mcp",
      },
    },
    {
      id: "claude-code",
      name: "Claude Code",
      steps: ["Run this in a terminal.", "In Claude Code, run /mcp, choose the server and sign in."],
      snippets: [
        {
          id: "connect-claude-code-command",
          label: "Claude Code command",
          text: `claude mcp add --transport http ${target.serverName} ${target.mcpUrl}`,
        },
      ],
      docs: { label: "Claude Code: connect to MCP servers", href: "https://code.claude.com/docs/en/mcp" },
    },
    {
      id: "chatgpt",
      name: "ChatGPT",
      steps: [
        "On chatgpt.com, turn on developer mode: Settings, Apps, Advanced settings. In Business, Enterprise and Edu workspaces an admin allows it first.",
        "In Settings, Apps, choose Create app: a name, the MCP server URL below, and OAuth as the authentication.",
        signIn,
      ],
      snippets: [{ id: "connect-chatgpt-url", label: "MCP server URL for ChatGPT", text: target.mcpUrl }],
      docs: { label: "OpenAI: ChatGPT developer mode", href: "https://developers.openai.com/api/docs/guides/developer-mode" },
    },
    {
      id: "cursor",
      name: "Cursor",
      steps: ["With Cursor installed, open the install link and confirm.", signIn],
      snippets: [{ id: "connect-cursor-link", label: "Cursor install link", text: cursorInstallLink(target) }],
      link: { label: "Add to Cursor", href: cursorInstallLink(target) },
      docs: { label: "Cursor: MCP install links", href: "https://cursor.com/docs/mcp/install-links" },
    },
    {
      id: "vscode",
      name: "VS Code",
      steps: ["With VS Code installed, open the install link, or run the command below in a terminal.", signIn],
      snippets: [
        {
          id: "connect-vscode-command",
          label: "VS Code command",
          text: `code --add-mcp '${JSON.stringify(vsCodeServer(target))}'`,
        },
      ],
      link: { label: "Add to VS Code", href: vsCodeInstallLink(target) },
      docs: { label: "VS Code: MCP developer guide", href: "https://code.visualstudio.com/docs/copilot/guides/mcp-developer-guide" },
    },
    {
      id: "other",
      name: "Any other client",
      steps: [
        "A client that connects to remote MCP servers takes the MCP server URL at the top of this page.",
        "A client that only starts local servers can reach it through mcp-remote (it needs Node.js): add this to the client's MCP configuration. mcp-remote opens your browser to sign in.",
      ],
      snippets: [{ id: "connect-mcp-remote-config", label: "mcp-remote configuration", text: mcpRemoteConfig(target) }],
      docs: { label: "mcp-remote on npm", href: "https://www.npmjs.com/package/mcp-remote" },
    },
  ];
}
