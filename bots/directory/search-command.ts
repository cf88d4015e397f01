import { CommandError, type BaseContext, type CommandSpec, type Reply } from "../core/commands/command.ts";
import type { Clock } from "../core/clock.ts";
import type { Db } from "../core/store/database.ts";
import type { Membership } from "./membership.ts";
import { parseDirectoryQuery } from "./search/query.ts";
import { renderQueryError, renderSearchResults } from "./search/render.ts";
import { ensureSearchIndex } from "./search/search-index.ts";
import { searchDirectory } from "./search/search.ts";
import { SEARCH_COMMAND_MESSAGES as M } from "./search-command-messages.ts";
import { foldName, type Commune, type Territory } from "./territory.ts";

const PAGE_SIZE = 5;
const NEXT_PAGE_WORDS = new Set(["suite", "suivant", "plus", "next", "more"]);

/** `!annuaire <recherche>` and `!annuaire suite`: search the territory's professionals. */
export class DirectorySearchCommand {
  private readonly db: Db;
  private readonly clock: Clock;
  private readonly territory: Territory;
  private readonly membership: Membership;

  constructor(db: Db, clock: Clock, territory: Territory, membership: Membership) {
    this.db = db;
    this.clock = clock;
    this.territory = territory;
    this.membership = membership;
  }

  command(): CommandSpec<BaseContext> {
    return {
      name: "annuaire",
      englishName: "search",
      aliases: ["cherche", "chercher", "search"],
      summary: M.summary,
      params: [{ name: "recherche", description: M.queryParam, optional: true, rest: true }],
      examples: ["!annuaire kiné Douai domicile", "!annuaire cardiologue ECG", "!annuaire sage-femme qui parle anglais", "!annuaire suite"],
      execute: (ctx, args) => this.search(ctx, args["recherche"] ?? ""),
    };
  }

  private search(ctx: BaseContext, text: string): Reply {
    if (!this.membership.isVerified(ctx.sender)) throw new CommandError("search by a non-member", M.membersOnly);
    ensureSearchIndex(this.db);
    const next = NEXT_PAGE_WORDS.has(foldName(text));
    const last = next ? this.lastSearch(ctx.sender) : undefined;
    if (next && !last) return { text: M.nothingToContinue[ctx.lang] };
    const queryText = last?.query ?? text;
    const page = last ? last.page + 1 : 1;
    const parsed = parseDirectoryQuery(queryText, this.territory);
    if (!parsed.ok) return renderQueryError(parsed.error, ctx.lang);
    const result = searchDirectory(this.db, this.territory, parsed.query, { origin: this.originOf(ctx.sender), page, pageSize: PAGE_SIZE });
    this.db
      .prepare("INSERT INTO directory_last_searches (user_id, query, page, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET query = excluded.query, page = excluded.page, updated_at = excluded.updated_at")
      .run(ctx.sender, queryText, result.page, this.clock.now());
    return renderSearchResults(result, ctx.lang);
  }

  private lastSearch(userId: string): { query: string; page: number } | undefined {
    return this.db.prepare("SELECT query, page FROM directory_last_searches WHERE user_id = ?").get(userId) as { query: string; page: number } | undefined;
  }

  /** Distances run from the asker's practice, when the asker is a member of the directory. */
  private originOf(userId: string): Commune | undefined {
    const communes = this.membership.memberOf(userId)?.person.communes ?? [];
    return this.territory.communes.find((c) => communes.some((name) => foldName(name) === foldName(c.name)));
  }
}
