/**
 * The people directory on the inventory table: one profile item per email
 * (`PERSON#<email>`/`PROFILE`) and one pointer per alias
 * (`PERSON#<alias>`/`ALIAS`), so a lookup by any address is one BatchGet
 * and, for an alias, one more read.
 */
import { BatchGetCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Person } from '../../domain/inventory/people';
import type { PeopleDirectory } from '../../domain/ports/app-inventory';
import { putIfAbsent } from './operations';
import { inventoryKeys } from './tables';

export class DynamoDbPeopleDirectory implements PeopleDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async find(emailOrAlias: string): Promise<Person | undefined> {
    const address = emailOrAlias.trim().toLowerCase();
    const { Responses } = await this.client.send(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: [inventoryKeys.person(address), inventoryKeys.alias(address)] } } }),
    );
    const items = Responses?.[this.tableName] ?? [];
    const profile = items.find((i) => i.sk === 'PROFILE');
    if (profile) return personOf(profile);
    const alias = items.find((i) => i.sk === 'ALIAS');
    if (!alias || typeof alias.primary !== 'string') return undefined;
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: inventoryKeys.person(alias.primary) }));
    return Item ? personOf(Item) : undefined;
  }

  async put(person: Person): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...inventoryKeys.person(person.email), ...person } }));
    for (const alias of person.aliases) {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...inventoryKeys.alias(alias), primary: person.email } }));
    }
  }

  async profilesAmong(addresses: readonly string[]): Promise<Set<string>> {
    const wanted = [...new Set(addresses.map((a) => a.trim().toLowerCase()))].slice(0, 100);
    if (wanted.length === 0) return new Set();
    const { Responses } = await this.client.send(
      new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: wanted.map((a) => inventoryKeys.person(a)), ProjectionExpression: 'email' } } }),
    );
    return new Set((Responses?.[this.tableName] ?? []).map((i) => String(i.email)));
  }

  async learn(person: Person): Promise<boolean> {
    return putIfAbsent(this.client, this.tableName, { ...inventoryKeys.person(person.email), ...person, origin: 'event' });
  }
}

function personOf(item: Record<string, unknown>): Person {
  const { pk: _pk, sk: _sk, ...person } = item;
  return { aliases: [], ...(person as Partial<Person>) } as Person;
}
