variable "region" {
  description = "Region of every resource (moto serves any)."
  type        = string
  default     = "us-east-1"
}

variable "function_zip" {
  description = "function.zip from `synthdata backend package`."
  type        = string
}

variable "layer_zip" {
  description = "layer.zip from `synthdata backend package`."
  type        = string
}

variable "template_files" {
  description = "Object key => local file uploaded to the templates bucket (package.json's template_files)."
  type        = map(string)
  default     = {}
}

variable "dataset_prefix" {
  description = "Key prefix of datasets and sessions in the data bucket."
  type        = string
  default     = "synthdata"
}
