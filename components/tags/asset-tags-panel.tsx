import { hasPermission, ROLE_GRANTS } from '@/lib/auth/permissions';
import { requireSession } from '@/lib/auth/session';
import { listTags } from '@/lib/tags/tags';
import { AssetTagEditor } from './asset-tag-editor';

interface AssetTagsPanelProps {
  assetId: number;
  tags: { id: number; name: string; criticalityScore: number | null }[];
}

/** Renders the asset page's tag list, with controls to add and remove tags for editors. */
export async function AssetTagsPanel({ assetId, tags }: AssetTagsPanelProps) {
  const { db, user } = await requireSession();
  const canEdit = hasPermission(ROLE_GRANTS[user.role], 'tagging', 'write');
  const allTags = canEdit ? (await listTags(db)).map((tag) => ({ id: tag.id, name: tag.name, criticalityScore: tag.criticalityScore })) : [];
  return <AssetTagEditor assetId={assetId} tags={tags} allTags={allTags} canEdit={canEdit} />;
}
