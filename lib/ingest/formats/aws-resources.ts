// AWS resources that Inspector and Security Hub findings name, as assets. An EC2 instance is a
// host keyed by its instance id, which is unique across accounts and regions, with the id as its
// name and as `cloudInstanceId`. An ECR image is a container image named as `docker pull` names
// it. Every other resource (Lambda function, account, access key, bucket…) is a cloud resource
// named by its ARN or id.

import { detachString } from '../field-values';
import type { AssetRecord } from '../model';
import { hostAddresses } from './host-addresses';

export interface AwsResource {
  kind: 'ec2' | 'ecr_image' | 'code_repository' | 'other';
  /** The resource id as the finding gives it: an instance id, an ARN, or `AWS::::Account:…`. */
  id: string;
  region?: string | null;
  ipAddresses?: (string | null | undefined)[];
  platform?: string | null;
  image?: { registry?: string | null; repositoryName?: string | null; tags?: string[] | null; digest?: string | null };
  /** Every other field the finding gives about the resource. */
  raw: Record<string, unknown>;
}

/** Returns the instance id in `i-0abc…`, `arn:aws:ec2:…:instance/i-0abc…` or `arn:aws:ec2:…:i-0abc…`. */
export function ec2InstanceId(id: string): string | undefined {
  return /(?:^|[:/])(i-[0-9a-zA-Z]{8,17})$/.exec(id.trim())?.[1];
}

/** Returns `<registry>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` (or `@<digest>` without a tag). */
export function ecrImageName(image: NonNullable<AwsResource['image']>, region: string | null | undefined): string | undefined {
  if (!image.repositoryName) return undefined;
  const host = image.registry && region ? `${image.registry}.dkr.ecr.${region}.amazonaws.com/` : '';
  const tag = image.tags?.find((candidate) => candidate.trim() !== '');
  if (tag) return `${host}${image.repositoryName}:${tag}`;
  return image.digest ? `${host}${image.repositoryName}@${image.digest}` : `${host}${image.repositoryName}`;
}

/** Maps a resource to an asset; its `reportKey` is the same for every finding on that resource. */
export function awsResourceAsset(resource: AwsResource): AssetRecord {
  const instanceId = resource.kind === 'ec2' ? ec2InstanceId(resource.id) : undefined;
  if (instanceId) {
    const asset: AssetRecord = { reportKey: `ec2:${instanceId}`, name: instanceId, kind: 'host', cloudInstanceId: instanceId, raw: { resourceId: resource.id, ...resource.raw } };
    Object.assign(asset, hostAddresses(resource.ipAddresses ?? []));
    if (resource.platform) asset.os = resource.platform;
    return detached(asset);
  }
  if (resource.kind === 'ecr_image' && resource.image) {
    const name = ecrImageName(resource.image, resource.region) ?? resource.id;
    return detached({ reportKey: `image:${name}`, name, kind: 'container_image', raw: { resourceId: resource.id, ...resource.raw } });
  }
  const kind = resource.kind === 'code_repository' ? 'repository' : 'cloud_resource';
  return detached({ reportKey: `${kind}:${resource.id}`, name: resource.id, kind, raw: { ...resource.raw } });
}

function detached(asset: AssetRecord): AssetRecord {
  return { ...asset, reportKey: detachString(asset.reportKey), name: detachString(asset.name) };
}
