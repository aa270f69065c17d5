# The seed scenarios of Warden's specification as one small Terraform root module.
# `warden scan examples/terraform-seed` reports each violation below; the compliant twins pass.

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "admin_cidrs" {
  type    = list(string)
  default = ["0.0.0.0/0"]
}

locals {
  tags = { owner = "platform", environment = "demo" }
}

# --- Storage open to the internet --------------------------------------------------------
resource "aws_s3_bucket" "reports" {
  bucket = "acme-demo-reports"
  tags   = local.tags
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket                  = aws_s3_bucket.reports.id
  block_public_acls       = false
  ignore_public_acls      = false
  block_public_policy     = false
  restrict_public_buckets = false
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "public-read"
}

# Public by design: the Content=Marketing exception makes it exempt, with the reason.
resource "aws_s3_bucket" "website" {
  bucket = "acme-demo-website"
  tags   = merge(local.tags, { Content = "Marketing" })
}

resource "aws_s3_bucket_policy" "website" {
  bucket = aws_s3_bucket.website.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "PublicRead"
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-demo-website/*"
    }]
  })
}

resource "aws_s3_bucket" "private" {
  bucket = "acme-demo-private"
  tags   = local.tags
}

resource "aws_s3_bucket_public_access_block" "private" {
  bucket                  = aws_s3_bucket.private.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}

# --- Network: SSH open to the world, no flow logs ----------------------------------------
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
  tags       = merge(local.tags, { Name = "demo" })
}

resource "aws_subnet" "public" {
  vpc_id                  = aws_vpc.main.id
  cidr_block              = "10.20.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}

# The public subnet sends its default route to the internet gateway: the bastion is reachable.
resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "public" {
  subnet_id      = aws_subnet.public.id
  route_table_id = aws_route_table.public.id
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.20.2.0/24"
}

resource "aws_security_group" "bastion" {
  name        = "demo-bastion"
  description = "SSH for operators"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = var.admin_cidrs
  }
  tags = local.tags
}

resource "aws_security_group" "app" {
  name        = "demo-app"
  description = "app tier"
  vpc_id      = aws_vpc.main.id
  ingress {
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.bastion.id]
  }
  tags = local.tags
}

# --- Compute with an administrator role, sharing one key pair ----------------------------
resource "aws_key_pair" "ops" {
  key_name   = "demo-ops"
  public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDemoKeyOnlyForTheExampleDoNotUse0000000000000 ops"
}

resource "aws_iam_role" "worker" {
  name = "demo-worker"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ec2.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy_attachment" "worker_admin" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_instance_profile" "worker" {
  name = "demo-worker"
  role = aws_iam_role.worker.name
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.micro"
  subnet_id                   = aws_subnet.public.id
  associate_public_ip_address = true
  vpc_security_group_ids      = [aws_security_group.bastion.id]
  key_name                    = aws_key_pair.ops.key_name
  metadata_options {
    http_tokens = "required"
  }
  tags = merge(local.tags, { Name = "demo-bastion" })
}

resource "aws_instance" "worker" {
  ami                    = "ami-0c55b159cbfafe1f0"
  instance_type          = "t3.large"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.app.id]
  key_name               = aws_key_pair.ops.key_name
  iam_instance_profile   = aws_iam_instance_profile.worker.name
  tags                   = merge(local.tags, { Name = "demo-worker" })
}

# --- Unencrypted and public databases and volumes ----------------------------------------
resource "aws_db_instance" "orders" {
  identifier          = "demo-orders"
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  allocated_storage   = 20
  username            = "orders"
  password            = "example-only-not-a-secret"
  publicly_accessible = true
  storage_encrypted   = false
  skip_final_snapshot = true
  tags                = local.tags
}

resource "aws_ebs_volume" "scratch" {
  availability_zone = "us-east-1a"
  size              = 100
  tags              = merge(local.tags, { Name = "demo-scratch" })
}

resource "aws_ebs_volume" "data" {
  availability_zone = "us-east-1a"
  size              = 100
  encrypted         = true
  tags              = merge(local.tags, { Name = "demo-data" })
}

# --- Logging and keys ---------------------------------------------------------------------
resource "aws_kms_key" "app" {
  description = "demo application key"
}

resource "aws_cloudtrail" "main" {
  name                          = "demo-trail"
  s3_bucket_name                = aws_s3_bucket.private.id
  is_multi_region_trail         = false
  include_global_service_events = true
}
